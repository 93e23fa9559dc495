#include "cpu.h"

#include <cstdlib>
#include <cstring>

namespace tensile {

Isa supported_isa() {
#if defined(TENSILE_X86)
    // __builtin_cpu_supports also checks, through XGETBV, that the OS saves the wider registers.
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return Isa::Avx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::Avx2;
#endif
    return Isa::Generic;
}

Isa best_isa() {
    static const Isa chosen = [] {
        Isa isa = supported_isa();
        const char* env = std::getenv("TENSILE_ISA");
        if (env == nullptr) return isa;
        Isa wanted = isa;
        if (std::strcmp(env, "generic") == 0) wanted = Isa::Generic;
        if (std::strcmp(env, "avx2") == 0) wanted = Isa::Avx2;
        return static_cast<int>(wanted) < static_cast<int>(isa) ? wanted : isa;
    }();
    return chosen;
}

const char* isa_name(Isa isa) {
    switch (isa) {
        case Isa::Avx512: return "avx512";
        case Isa::Avx2: return "avx2";
        default: return "generic";
    }
}

}  // namespace tensile
