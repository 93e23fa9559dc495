// The blocked GEMM driver, shared by every instruction set. Include it inside an anonymous
// namespace of the per-ISA translation unit: each copy is then private to its file, so the
// linker can never substitute the AVX-512 build of a function for the baseline one.
//
// Loop nest (BLIS's five loops with the roles of A and B exchanged, because our micro-kernel
// broadcasts A and loads B as vectors along the rows of C):
//   ic over M in steps of MC: a block of A, KC deep, packed once and kept in L3;
//     pc over K in steps of KC:
//       jc over N in steps of NC: a KC×NC block of B, packed and kept in L2;
//         ir over the block of A in steps of MR: one MR×KC micro-panel, resident in L1;
//           jr over the block of B in steps of NR: the micro-kernel, MR×NR of C in registers.
//
// Packed panels are zero-padded to whole tiles, so the micro-kernel has no edge cases; partial
// tiles of C go through a small buffer.

inline index_t gemm_min(index_t a, index_t b) { return a < b ? a : b; }

// Packs rows [0, mc) × columns [0, kc) of op(A) into micro-panels of MR rows, each stored
// column by column (kc × MR), rows past mc set to zero.
template <class T, int MR>
void pack_a(index_t mc, index_t kc, const T* a, index_t ars, index_t acs, T* dst) {
    for (index_t ir = 0; ir < mc; ir += MR) {
        const index_t mr = gemm_min(MR, mc - ir);
        const T* src = a + ir * ars;
        if (acs == 1) {
            for (index_t r = 0; r < mr; ++r) {
                const T* row = src + r * ars;
                for (index_t l = 0; l < kc; ++l) dst[l * MR + r] = row[l];
            }
        } else {
            for (index_t l = 0; l < kc; ++l) {
                const T* col = src + l * acs;
                for (index_t r = 0; r < mr; ++r) dst[l * MR + r] = col[r * ars];
            }
        }
        for (index_t r = mr; r < MR; ++r) {
            for (index_t l = 0; l < kc; ++l) dst[l * MR + r] = T(0);
        }
        dst += MR * kc;
    }
}

// Packs rows [0, kc) × columns [0, nc) of op(B) into micro-panels of NR columns, each stored
// row by row (kc × NR), columns past nc set to zero.
template <class T, int NR>
void pack_b(index_t kc, index_t nc, const T* b, index_t brs, index_t bcs, T* dst) {
    for (index_t jr = 0; jr < nc; jr += NR) {
        const index_t nr = gemm_min(NR, nc - jr);
        const T* src = b + jr * bcs;
        if (bcs == 1) {
            for (index_t l = 0; l < kc; ++l) {
                const T* row = src + l * brs;
                T* out = dst + l * NR;
                for (index_t c = 0; c < nr; ++c) out[c] = row[c];
                for (index_t c = nr; c < NR; ++c) out[c] = T(0);
            }
        } else {
            for (index_t c = 0; c < nr; ++c) {
                const T* col = src + c * bcs;
                for (index_t l = 0; l < kc; ++l) dst[l * NR + c] = col[l * brs];
            }
            for (index_t c = nr; c < NR; ++c) {
                for (index_t l = 0; l < kc; ++l) dst[l * NR + c] = T(0);
            }
        }
        dst += NR * kc;
    }
}

template <class K>
constexpr index_t gemm_workspace_elements() {
    return K::MC * K::KC + K::KC * K::NC + K::MR * K::NR;
}

// One MR-row panel of A against the NR-column panels of the packed B block: full tiles go
// straight to C, partial ones through `tile`. The micro-kernel reads A's panel either with unit
// row stride and `step` between columns (packed: step = MR; a transposed A read in place:
// step = its column stride), or with `step` between rows and unit column stride (a row-major A
// read in place).
template <class K, bool UnitRow>
void panel_row(index_t kc, const typename K::T* a, index_t step, const typename K::T* bp,
               index_t mr, index_t nc, typename K::T* c, index_t ldc, bool acc,
               typename K::T* tile) {
    using T = typename K::T;
    constexpr int MR = K::MR;
    constexpr int NR = K::NR;
    for (index_t jr = 0; jr < nc; jr += NR) {
        const index_t nr = gemm_min(NR, nc - jr);
        const T* b_panel = bp + jr * kc;
        if (mr == MR && nr == NR) {
            K::template kernel<UnitRow>(kc, a, step, b_panel, c + jr, ldc, acc);
            continue;
        }
        K::template kernel<UnitRow>(kc, a, step, b_panel, tile, NR, false);
        for (index_t i = 0; i < mr; ++i) {
            T* row = c + i * ldc + jr;
            const T* t = tile + i * NR;
            if (acc) {
                for (index_t j = 0; j < nr; ++j) row[j] += t[j];
            } else {
                for (index_t j = 0; j < nr; ++j) row[j] = t[j];
            }
        }
    }
}

// How A is read. Packing a panel of A pays off when many B panels reuse it; a transposed A
// (unit row stride) already has the packed layout but for the column step, so it is always read
// in place, and a row-major A is read in place when there are few columns to reuse it.
enum class AccessA { Pack, InPlaceRows, InPlaceColumns };

template <class K>
AccessA access_a(const GemmArgs<typename K::T>& g) {
    if (g.ars == 1 && g.m > 1) return AccessA::InPlaceColumns;
    if (g.acs == 1 && g.n <= 4 * K::NR) return AccessA::InPlaceRows;
    return AccessA::Pack;
}

template <class K>
void gemm_blocked(const GemmArgs<typename K::T>& g, typename K::T* workspace) {
    using T = typename K::T;
    constexpr int MR = K::MR;
    T* ap = workspace;
    T* bp = ap + K::MC * K::KC;
    T* tile = bp + K::KC * K::NC;

    if (g.k == 0) {
        if (!g.accumulate) {
            for (index_t i = 0; i < g.m; ++i) {
                for (index_t j = 0; j < g.n; ++j) g.c[i * g.ldc + j] = T(0);
            }
        }
        return;
    }
    const AccessA access = access_a<K>(g);
    for (index_t ic = 0; ic < g.m; ic += K::MC) {
        const index_t mc = gemm_min(K::MC, g.m - ic);
        for (index_t pc = 0; pc < g.k; pc += K::KC) {
            const index_t kc = gemm_min(K::KC, g.k - pc);
            const bool acc = g.accumulate || pc > 0;
            const T* a_block = g.a + ic * g.ars + pc * g.acs;
            if (access == AccessA::Pack) pack_a<T, MR>(mc, kc, a_block, g.ars, g.acs, ap);
            for (index_t jc = 0; jc < g.n; jc += K::NC) {
                const index_t nc = gemm_min(K::NC, g.n - jc);
                pack_b<T, K::NR>(kc, nc, g.b + pc * g.brs + jc * g.bcs, g.brs, g.bcs, bp);
                for (index_t ir = 0; ir < mc; ir += MR) {
                    const index_t mr = gemm_min(MR, mc - ir);
                    T* c = g.c + (ic + ir) * g.ldc + jc;
                    const T* a_panel = a_block + ir * g.ars;
                    if (access == AccessA::Pack) {
                        panel_row<K, true>(kc, ap + ir * kc, MR, bp, mr, nc, c, g.ldc, acc, tile);
                    } else if (mr < MR) {
                        // The last rows: packed, so the kernel never reads past the end of A.
                        pack_a<T, MR>(mr, kc, a_panel, g.ars, g.acs, ap);
                        panel_row<K, true>(kc, ap, MR, bp, mr, nc, c, g.ldc, acc, tile);
                    } else if (access == AccessA::InPlaceColumns) {
                        panel_row<K, true>(kc, a_panel, g.acs, bp, mr, nc, c, g.ldc, acc, tile);
                    } else {
                        panel_row<K, false>(kc, a_panel, g.ars, bp, mr, nc, c, g.ldc, acc, tile);
                    }
                }
            }
        }
    }
}
