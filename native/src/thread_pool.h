// A persistent pool of worker threads. The calling thread takes part in every job, so a pool of
// n threads starts n - 1 workers. Jobs never nest: a job started from inside a job, or while
// another thread (a Node worker) holds the pool, runs serially on its caller.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common.h"

namespace tensile {

class ThreadPool {
public:
    // The process-wide pool, sized from TENSILE_NUM_THREADS or the CPUs this process may use.
    static ThreadPool& instance();

    explicit ThreadPool(int threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    int num_threads() const { return threads_; }
    void set_num_threads(int threads);

    // Calls fn(t) for every t in [0, tasks), spread over the pool; returns when all are done.
    // The first exception thrown by a task is rethrown here.
    void run(int tasks, const std::function<void(int)>& fn);

private:
    void start(int threads);
    void stop();
    void worker_loop();
    void work_on_current_job(const std::function<void(int)>& job, int tasks);

    int threads_ = 1;
    std::vector<std::thread> workers_;
    std::mutex run_mutex_;  // held by the thread whose job owns the pool

    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable done_;
    const std::function<void(int)>* job_ = nullptr;
    int tasks_ = 0;
    std::atomic<int> next_{0};
    std::atomic<int> remaining_{0};
    std::atomic<std::uint64_t> generation_{0};
    int active_ = 0;  // workers inside the current job, guarded by mutex_
    bool stopping_ = false;
    std::exception_ptr error_;
};

// Default thread count: TENSILE_NUM_THREADS when set to a positive integer, else the CPUs in
// this process's affinity mask.
int default_num_threads();

// Chunks per thread in a parallel loop. Threads take chunks as they become free, so a thread
// that the OS descheduled (the machine may be shared) delays the job by one small chunk instead
// of by its whole share.
constexpr index_t kChunksPerThread = 4;

// Splits [0, n) into chunks at least `grain` long, a few per thread, and calls fn(begin, end)
// for each. Work under 2 * grain runs on the calling thread: the pool costs microseconds to
// wake, which small tensors should never pay.
template <class F>
void parallel_for(index_t n, index_t grain, F&& fn) {
    if (n <= 0) return;
    ThreadPool& pool = ThreadPool::instance();
    if (pool.num_threads() <= 1) {
        fn(index_t{0}, n);
        return;
    }
    index_t chunks = std::min<index_t>(pool.num_threads() * kChunksPerThread,
                                       n / std::max<index_t>(grain, 1));
    if (chunks <= 1) {
        fn(index_t{0}, n);
        return;
    }
    const std::function<void(int)> task = [&](int t) {
        index_t begin = n * t / chunks;
        index_t end = n * (t + 1) / chunks;
        if (begin < end) fn(begin, end);
    };
    pool.run(static_cast<int>(chunks), task);
}

}  // namespace tensile
