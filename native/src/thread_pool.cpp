#include "thread_pool.h"

#include <cstdlib>
#if defined(__linux__)
#include <sched.h>
#endif

namespace tensile {

namespace {

// True on a thread that is running a task of the pool: nested jobs then run serially.
thread_local bool in_pool_job = false;

// How long a worker spins for the next job before sleeping: short, because the machine may be
// shared, but long enough to bridge the gap between the kernels of one training step.
constexpr int kSpinIterations = 4000;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

}  // namespace

int default_num_threads() {
    if (const char* env = std::getenv("TENSILE_NUM_THREADS")) {
        int n = std::atoi(env);
        if (n > 0) return std::min(n, 256);
    }
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0) return n;
    }
#endif
    unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
}

ThreadPool& ThreadPool::instance() {
    // Never destroyed: joining workers during static destruction at process exit can deadlock.
    static ThreadPool* pool = new ThreadPool(default_num_threads());
    return *pool;
}

ThreadPool::ThreadPool(int threads) { start(threads); }

ThreadPool::~ThreadPool() { stop(); }

void ThreadPool::set_num_threads(int threads) {
    threads = std::max(1, std::min(threads, 256));
    std::lock_guard<std::mutex> hold(run_mutex_);
    if (threads == threads_) return;
    stop();
    start(threads);
}

void ThreadPool::start(int threads) {
    threads_ = std::max(1, threads);
    stopping_ = false;
    workers_.reserve(threads_ - 1);
    for (int i = 1; i < threads_; ++i) workers_.emplace_back([this] { worker_loop(); });
}

void ThreadPool::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& w : workers_) w.join();
    workers_.clear();
}

void ThreadPool::work_on_current_job(const std::function<void(int)>& job, int tasks) {
    in_pool_job = true;
    for (;;) {
        int t = next_.fetch_add(1, std::memory_order_relaxed);
        if (t >= tasks) break;
        try {
            job(t);
        } catch (...) {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!error_) error_ = std::current_exception();
        }
        if (remaining_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            std::lock_guard<std::mutex> lock(mutex_);
            done_.notify_all();
        }
    }
    in_pool_job = false;
}

void ThreadPool::worker_loop() {
    std::uint64_t seen = 0;
    for (;;) {
        for (int i = 0; i < kSpinIterations; ++i) {
            if (generation_.load(std::memory_order_acquire) != seen) break;
            cpu_relax();
        }
        const std::function<void(int)>* job = nullptr;
        int tasks = 0;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [&] {
                return stopping_ || generation_.load(std::memory_order_acquire) != seen;
            });
            if (stopping_) return;
            seen = generation_.load(std::memory_order_acquire);
            if (job_ == nullptr) continue;
            // Counted as active until it leaves the job, so the next job cannot be set up while
            // this worker still draws task numbers from the current one.
            ++active_;
            job = job_;
            tasks = tasks_;
        }
        work_on_current_job(*job, tasks);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (--active_ == 0) done_.notify_all();
        }
    }
}

void ThreadPool::run(int tasks, const std::function<void(int)>& fn) {
    if (tasks <= 0) return;
    std::unique_lock<std::mutex> own(run_mutex_, std::defer_lock);
    if (tasks == 1 || threads_ == 1 || in_pool_job || !own.try_lock()) {
        for (int t = 0; t < tasks; ++t) fn(t);
        return;
    }
    {
        std::unique_lock<std::mutex> lock(mutex_);
        done_.wait(lock, [&] { return active_ == 0; });
        job_ = &fn;
        tasks_ = tasks;
        error_ = nullptr;
        next_.store(0, std::memory_order_relaxed);
        remaining_.store(tasks, std::memory_order_relaxed);
        generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    work_on_current_job(fn, tasks);
    for (int i = 0; i < kSpinIterations && remaining_.load(std::memory_order_acquire) != 0; ++i) {
        cpu_relax();
    }
    std::exception_ptr error;
    {
        std::unique_lock<std::mutex> lock(mutex_);
        done_.wait(lock, [&] {
            return remaining_.load(std::memory_order_acquire) == 0 && active_ == 0;
        });
        job_ = nullptr;
        error = error_;
        error_ = nullptr;
    }
    if (error) std::rethrow_exception(error);
}

}  // namespace tensile
