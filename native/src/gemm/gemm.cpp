#include <cstdlib>
#include <memory>

#include "../cpu.h"
#include "../thread_pool.h"
#include "gemm_impl.h"

namespace tensile {

namespace {

const GemmKernelSet& kernels() {
    static const GemmKernelSet& set = []() -> const GemmKernelSet& {
#if defined(TENSILE_X86)
        switch (best_isa()) {
            case Isa::Avx512: return gemm_kernels_avx512();
            case Isa::Avx2: return gemm_kernels_avx2();
            default: break;
        }
#endif
        return gemm_kernels_generic();
    }();
    return set;
}

// One packing workspace per thread, grown on demand and kept for the thread's lifetime.
template <class T>
T* thread_workspace(index_t elements) {
    struct Buffer {
        void* data = nullptr;
        index_t bytes = 0;
        ~Buffer() { std::free(data); }
    };
    thread_local Buffer buffer;
    const index_t bytes = (elements * static_cast<index_t>(sizeof(T)) + 63) / 64 * 64;
    if (buffer.bytes < bytes) {
        std::free(buffer.data);
        buffer.data = std::aligned_alloc(64, static_cast<std::size_t>(bytes));
        buffer.bytes = buffer.data == nullptr ? 0 : bytes;
        if (buffer.data == nullptr) throw KernelError{"out of memory for the GEMM workspace"};
    }
    return static_cast<T*>(buffer.data);
}

void run_serial(const GemmArgs<float>& g) {
    const GemmKernelSet& k = kernels();
    k.sgemm(g, thread_workspace<float>(k.s_workspace));
}

void run_serial(const GemmArgs<double>& g) {
    const GemmKernelSet& k = kernels();
    k.dgemm(g, thread_workspace<double>(k.d_workspace));
}

// Below this many multiply-adds (about 0.1 ms of one core) a product runs on the calling
// thread: waking the pool and packing operands twice cost more than a second core gains. At
// 2^20 the MLP step of bench/ ran 1.3x and the CNN step 1.3x slower than at 2^24 (measured
// back to back on 2 shared vCPUs).
constexpr index_t kParallelMinWork = index_t{1} << 24;

// Splits C into blocks of rows or of columns on tile boundaries; each part packs its own panels
// and runs the serial GEMM. Splitting rows makes every part pack all of B; splitting columns
// makes every part pack all of A unless A is read in place (see access_a in gemm_driver.h), so
// the split that repeats less packing is chosen.
template <class T>
void run_parallel(const GemmArgs<T>& g, int mr, int nr) {
    ThreadPool& pool = ThreadPool::instance();
    const index_t work = g.m * g.n * g.k;
    const index_t m_tiles = (g.m + mr - 1) / mr;
    const index_t n_tiles = (g.n + nr - 1) / nr;
    const index_t threads = pool.num_threads();
    // Column parts a few per thread, taken as threads become free (see kChunksPerThread), when
    // A is read in place: then a part packs only its own columns of B.
    const index_t column_parts = std::min<index_t>(threads * kChunksPerThread, n_tiles);
    const index_t n_part = (g.n + column_parts - 1) / std::max<index_t>(column_parts, 1);
    const bool a_in_place = (g.ars == 1 && g.m > 1) || (g.acs == 1 && n_part <= 4 * nr);
    const index_t repack_if_rows = g.k * g.n;
    const index_t repack_if_columns = a_in_place ? 0 : g.m * g.k;
    bool split_m = repack_if_rows <= repack_if_columns;
    if (split_m ? m_tiles < threads : n_tiles < threads) split_m = m_tiles >= n_tiles;
    const index_t tiles = split_m ? m_tiles : n_tiles;
    // Row parts each pack all of B, so there is only one per thread.
    const index_t parts =
        std::min<index_t>(split_m || !a_in_place ? threads : column_parts, tiles);
    if (work < kParallelMinWork || threads <= 1 || parts <= 1) {
        run_serial(g);
        return;
    }
    pool.run(static_cast<int>(parts), [&](int t) {
        const index_t first = tiles * t / parts;
        const index_t last = tiles * (t + 1) / parts;
        GemmArgs<T> part = g;
        if (split_m) {
            const index_t begin = first * mr;
            const index_t end = std::min(g.m, last * mr);
            part.m = end - begin;
            part.a = g.a + begin * g.ars;
            part.c = g.c + begin * g.ldc;
        } else {
            const index_t begin = first * nr;
            const index_t end = std::min(g.n, last * nr);
            part.n = end - begin;
            part.b = g.b + begin * g.bcs;
            part.c = g.c + begin;
        }
        if (part.m > 0 && part.n > 0) run_serial(part);
    });
}

}  // namespace

void gemm(const GemmArgs<float>& g) { run_parallel(g, kernels().s_mr, kernels().s_nr); }
void gemm(const GemmArgs<double>& g) { run_parallel(g, kernels().d_mr, kernels().d_nr); }
void gemm_serial(const GemmArgs<float>& g) { run_serial(g); }
void gemm_serial(const GemmArgs<double>& g) { run_serial(g); }
const char* gemm_isa_name() { return kernels().name; }

}  // namespace tensile
