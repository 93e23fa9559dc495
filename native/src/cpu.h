// Which instruction set the hot kernels use, chosen once at load from what the CPU supports.
#pragma once

namespace tensile {

enum class Isa { Generic = 0, Avx2 = 1, Avx512 = 2 };

// The best instruction set this CPU and OS support among those compiled in. TENSILE_ISA
// (generic|avx2|avx512) lowers the choice, for testing the other paths; it never raises it
// above what the CPU supports.
Isa best_isa();

// What best_isa() would return ignoring TENSILE_ISA.
Isa supported_isa();

const char* isa_name(Isa isa);

}  // namespace tensile
