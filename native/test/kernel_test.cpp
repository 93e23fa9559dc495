// Kernel tests in plain C++, without Node: every GEMM instruction set the CPU supports against a
// naive product, and the other kernels against direct reference loops, over odd sizes. Built
// and run under AddressSanitizer and UBSan by scripts/test-native-sanitizers.sh; any
// out-of-bounds access, leak or undefined behaviour fails the run.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "../src/cpu.h"
#include "../src/gemm/gemm_impl.h"
#include "../src/kernels/kernels.h"
#include "../src/thread_pool.h"

using namespace tensile;

namespace {

int passed = 0;
int failed = 0;

void check(bool ok, const std::string& what) {
    if (ok) {
        ++passed;
    } else {
        ++failed;
        std::printf("FAIL %s\n", what.c_str());
    }
}

template <class T>
std::vector<T> random_vector(std::size_t n, std::mt19937& rng) {
    std::uniform_real_distribution<double> u(-1, 1);
    std::vector<T> v(n);
    for (auto& x : v) x = static_cast<T>(u(rng));
    return v;
}

template <class T>
double max_error(const std::vector<T>& a, const std::vector<double>& b) {
    double e = 0;
    for (std::size_t i = 0; i < a.size(); ++i) e = std::max(e, std::fabs(a[i] - b[i]));
    return e;
}

template <class T>
Array arr(std::vector<T>& v) {
    DType d = std::is_same_v<T, float> ? DType::F32 : std::is_same_v<T, double> ? DType::F64
              : std::is_same_v<T, std::int32_t> ? DType::I32 : DType::Bool;
    return Array{v.data(), d, static_cast<index_t>(v.size())};
}

// C = op(A)·op(B) (+ C) for one kernel set, every transpose, against a double reference.
template <class T>
void test_gemm(const GemmKernelSet& set, std::mt19937& rng) {
    const index_t sizes[][3] = {{1, 1, 1},   {7, 17, 33},  {14, 32, 1},   {15, 33, 385},
                                {33, 7, 0},  {1, 1000, 7}, {129, 65, 257}, {2111, 5, 3}};
    const index_t ws = std::is_same_v<T, float> ? set.s_workspace : set.d_workspace;
    std::vector<T> workspace(static_cast<std::size_t>(ws) + 64);
    T* aligned =
        reinterpret_cast<T*>((reinterpret_cast<std::uintptr_t>(workspace.data()) + 63) / 64 * 64);
    for (auto& s : sizes) {
        const index_t m = s[0], n = s[1], k = s[2];
        for (int t = 0; t < 8; ++t) {
            const bool ta = t & 1, tb = t & 2, acc = t & 4;
            auto a = random_vector<T>(m * k, rng), b = random_vector<T>(k * n, rng);
            auto c = random_vector<T>(m * n, rng);
            std::vector<double> want(m * n);
            for (index_t i = 0; i < m; ++i) {
                for (index_t j = 0; j < n; ++j) {
                    double sum = acc ? c[i * n + j] : 0;
                    for (index_t l = 0; l < k; ++l) {
                        sum += double(a[ta ? l * m + i : i * k + l]) *
                               b[tb ? j * k + l : l * n + j];
                    }
                    want[i * n + j] = sum;
                }
            }
            GemmArgs<T> g{m, n, k, a.data(), ta ? 1 : k, ta ? m : 1,
                          b.data(), tb ? 1 : n, tb ? k : 1, c.data(), n, acc};
            if constexpr (std::is_same_v<T, float>) set.sgemm(g, aligned);
            else set.dgemm(g, aligned);
            const double tol = (std::is_same_v<T, float> ? 1e-5 : 1e-12) * std::sqrt(double(k) + 1);
            check(max_error(c, want) <= tol,
                  std::string(set.name) + " gemm " + std::to_string(m) + "x" + std::to_string(n) +
                      "x" + std::to_string(k) + " case " + std::to_string(t));
        }
    }
}

void test_conv(std::mt19937& rng) {
    // (batch, inH, inW, inC, outC, k, stride, dilation, pad, groups)
    const index_t cases[][10] = {{2, 7, 9, 3, 5, 3, 1, 1, 0, 1},  {1, 9, 9, 6, 9, 3, 2, 1, 1, 3},
                                 {3, 6, 6, 4, 8, 1, 1, 1, 0, 1},  {2, 8, 8, 4, 4, 3, 1, 2, 2, 4},
                                 {9, 5, 5, 2, 3, 2, 2, 1, 1, 1},  {2, 7, 7, 3, 6, 3, 2, 1, 1, 3}};
    for (auto& c : cases) {
        Conv2DParams p{};
        p.batch = c[0]; p.in_h = c[1]; p.in_w = c[2]; p.in_c = c[3]; p.out_c = c[4];
        p.kh = p.kw = c[5]; p.stride_h = p.stride_w = c[6]; p.dilation_h = p.dilation_w = c[7];
        p.pad_top = p.pad_left = c[8]; p.groups = c[9];
        p.out_h = (p.in_h + 2 * p.pad_top - p.dilation_h * (p.kh - 1) - 1) / p.stride_h + 1;
        p.out_w = (p.in_w + 2 * p.pad_left - p.dilation_w * (p.kw - 1) - 1) / p.stride_w + 1;
        const index_t cg = p.in_c / p.groups, og = p.out_c / p.groups;
        auto x = random_vector<float>(p.batch * p.in_h * p.in_w * p.in_c, rng);
        auto w = random_vector<float>(p.kh * p.kw * cg * p.out_c, rng);
        auto dy = random_vector<float>(p.batch * p.out_h * p.out_w * p.out_c, rng);
        std::vector<float> y(dy.size()), dx(x.size()), dw(w.size());
        std::vector<double> y_ref(dy.size()), dx_ref(x.size()), dw_ref(w.size());
        for (index_t b = 0; b < p.batch; ++b)
        for (index_t oy = 0; oy < p.out_h; ++oy)
        for (index_t ox = 0; ox < p.out_w; ++ox)
        for (index_t o = 0; o < p.out_c; ++o) {
            const index_t g = o / og;
            const index_t yi = ((b * p.out_h + oy) * p.out_w + ox) * p.out_c + o;
            for (index_t ky = 0; ky < p.kh; ++ky)
            for (index_t kx = 0; kx < p.kw; ++kx) {
                const index_t iy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
                const index_t ix = ox * p.stride_w - p.pad_left + kx * p.dilation_w;
                if (iy < 0 || iy >= p.in_h || ix < 0 || ix >= p.in_w) continue;
                for (index_t ci = 0; ci < cg; ++ci) {
                    const index_t xi = ((b * p.in_h + iy) * p.in_w + ix) * p.in_c + g * cg + ci;
                    const index_t wi = ((ky * p.kw + kx) * cg + ci) * p.out_c + o;
                    y_ref[yi] += double(x[xi]) * w[wi];
                    dx_ref[xi] += double(dy[yi]) * w[wi];
                    dw_ref[wi] += double(x[xi]) * dy[yi];
                }
            }
        }
        conv2d(arr(x), arr(w), arr(y), p);
        conv2d_backprop_input(arr(dy), arr(w), arr(dx), p);
        conv2d_backprop_filter(arr(x), arr(dy), arr(dw), p);
        const std::string name = "conv " + std::to_string(c[0]) + "," + std::to_string(c[1]);
        check(max_error(y, y_ref) < 1e-4, name + " forward");
        check(max_error(dx, dx_ref) < 1e-4, name + " backprop input");
        check(max_error(dw, dw_ref) < 1e-3, name + " backprop filter");
    }
}

void test_elementwise(std::mt19937& rng) {
    // Broadcast add of (3, 1, 33) and (4, 1) into (3, 4, 33); comparisons into bool.
    auto a = random_vector<float>(3 * 33, rng), b = random_vector<float>(4, rng);
    std::vector<float> out(3 * 4 * 33);
    std::vector<std::uint8_t> flags(out.size());
    binary(BinaryOp::Add, arr(a), {33, 0, 1}, arr(b), {0, 1, 0}, arr(out), {3, 4, 33});
    bool ok = true;
    for (index_t i = 0; i < 3; ++i)
        for (index_t j = 0; j < 4; ++j)
            for (index_t l = 0; l < 33; ++l)
                ok &= out[(i * 4 + j) * 33 + l] == a[i * 33 + l] + b[j];
    check(ok, "binary broadcast add");
    binary(BinaryOp::Less, arr(a), {33, 0, 1}, arr(b), {0, 1, 0}, arr(flags), {3, 4, 33});
    ok = true;
    for (index_t i = 0; i < 3; ++i)
        for (index_t j = 0; j < 4; ++j)
            for (index_t l = 0; l < 33; ++l)
                ok &= flags[(i * 4 + j) * 33 + l] == (a[i * 33 + l] < b[j]);
    check(ok, "binary broadcast less");

    for (index_t n : {1, 7, 17, 33, 1000, 100000}) {
        auto x = random_vector<double>(n, rng);
        std::vector<double> y(n), g(n), dy(n, 1.0);
        for (int op = 0; op < static_cast<int>(UnaryOp::Count); ++op) {
            unary(static_cast<UnaryOp>(op), arr(x), arr(y), 0.1, 0.5);
            unary_grad(static_cast<UnaryOp>(op), arr(x), arr(y), arr(dy), arr(g), 0.1, 0.5);
        }
        unary(UnaryOp::Tanh, arr(x), arr(y), 0, 0);
        ok = true;
        for (index_t i = 0; i < n; ++i) ok &= std::fabs(y[i] - std::tanh(x[i])) < 1e-15;
        check(ok, "unary tanh n=" + std::to_string(n));
    }

    // A transposing strided copy of (17, 33) with a negative stride on the first axis.
    auto src = random_vector<float>(17 * 33, rng);
    std::vector<float> dst(17 * 33);
    copy_strided(arr(src), 16 * 33, {-33, 1}, {17, 33}, arr(dst), 0, {1, 17});
    ok = true;
    for (index_t i = 0; i < 17; ++i)
        for (index_t j = 0; j < 33; ++j) ok &= dst[j * 17 + i] == src[(16 - i) * 33 + j];
    check(ok, "copyStrided transpose reverse");
}

void test_reduce(std::mt19937& rng) {
    for (auto [outer, r, inner] :
         std::vector<std::array<index_t, 3>>{{7, 33, 1}, {3, 17, 33}, {1, 100000, 1}}) {
        auto x = random_vector<float>(outer * r * inner, rng);
        std::vector<float> s(outer * inner), sm(x.size());
        std::vector<std::int32_t> am(outer * inner);
        reduce(ReduceOp::Sum, arr(x), outer, r, inner, arr(s));
        arg_reduce(true, arr(x), outer, r, inner, am.data());
        softmax(arr(x), outer, r, inner, arr(sm), false);
        bool ok = true;
        for (index_t o = 0; o < outer; ++o) {
            for (index_t i = 0; i < inner; ++i) {
                double sum = 0, total = 0;
                index_t best = 0;
                for (index_t j = 0; j < r; ++j) {
                    const float v = x[(o * r + j) * inner + i];
                    sum += v;
                    total += sm[(o * r + j) * inner + i];
                    if (v > x[(o * r + best) * inner + i]) best = j;
                }
                ok &= std::fabs(s[o * inner + i] - sum) < 1e-3 && am[o * inner + i] == best &&
                      std::fabs(total - 1) < 1e-4;
            }
        }
        check(ok, "reduce/argmax/softmax " + std::to_string(outer) + "," + std::to_string(r));
    }
}

void test_pool_resize(std::mt19937& rng) {
    Pool2DParams p{2, 7, 9, 5, 4, 5, 3, 3, 2, 2, 1, 1};
    auto x = random_vector<float>(2 * 7 * 9 * 5, rng);
    auto dy = random_vector<float>(2 * 4 * 5 * 5, rng);
    std::vector<float> y(dy.size()), dx(x.size());
    max_pool2d(arr(x), arr(y), p);
    max_pool2d_grad(arr(x), arr(dy), arr(dx), p);
    avg_pool2d(arr(x), arr(y), p);
    avg_pool2d_grad(arr(dy), arr(dx), p);
    double total_dy = 0, total_dx = 0;
    for (float v : dy) total_dy += v;
    for (float v : dx) total_dx += v;
    check(std::fabs(total_dy - total_dx) < 1e-3, "avg pool gradient conserves the sum");

    ResizeParams r{2, 5, 3, 4, 9, 7};
    auto xi = random_vector<float>(2 * 5 * 3 * 4, rng);
    auto g = random_vector<float>(2 * 9 * 7 * 4, rng);
    std::vector<float> yo(g.size()), gx(xi.size());
    resize_bilinear(arr(xi), arr(yo), r);
    resize_bilinear_grad(arr(g), arr(gx), r);
    double sg = 0, sx = 0;
    for (float v : g) sg += v;
    for (float v : gx) sx += v;
    check(std::fabs(sg - sx) < 1e-3, "resize gradient conserves the sum");
}

}  // namespace

int main() {
    std::mt19937 rng(42);
    ThreadPool::instance().set_num_threads(3);
    test_gemm<float>(gemm_kernels_generic(), rng);
    test_gemm<double>(gemm_kernels_generic(), rng);
#if defined(TENSILE_X86)
    if (supported_isa() >= Isa::Avx2) {
        test_gemm<float>(gemm_kernels_avx2(), rng);
        test_gemm<double>(gemm_kernels_avx2(), rng);
    }
    if (supported_isa() >= Isa::Avx512) {
        test_gemm<float>(gemm_kernels_avx512(), rng);
        test_gemm<double>(gemm_kernels_avx512(), rng);
    }
#endif
    test_conv(rng);
    test_elementwise(rng);
    test_reduce(rng);
    test_pool_resize(rng);
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
