#!/usr/bin/env bash
# Builds the C++ kernel tests (native/test/kernel_test.cpp) with AddressSanitizer and
# UndefinedBehaviorSanitizer and runs them. No Node is involved: the kernels are plain C++.
# Any out-of-bounds access, use after free, leak or undefined behaviour aborts the run with a
# report, and the script exits non-zero. Usage: bash scripts/test-native-sanitizers.sh
# (CXX overrides the compiler; the output goes to build/sanitize/).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/build/sanitize"
cxx="${CXX:-g++}"
mkdir -p "$out"

flags=(-std=c++17 -O1 -g -fno-math-errno -ffp-contract=off -fno-omit-frame-pointer -pthread
  -fsanitize=address,undefined -fno-sanitize-recover=all)
arch="$(uname -m)"
objects=()
if [[ "$arch" == "x86_64" ]]; then
  flags+=(-DTENSILE_X86)
  # The per-ISA kernels get their own flags, as in binding.gyp.
  "$cxx" "${flags[@]}" -mavx2 -mfma -c "$root/native/src/gemm/gemm_avx2.cpp" -o "$out/gemm_avx2.o"
  "$cxx" "${flags[@]}" -mavx512f -mfma -c "$root/native/src/gemm/gemm_avx512.cpp" -o "$out/gemm_avx512.o"
  objects+=("$out/gemm_avx2.o" "$out/gemm_avx512.o")
fi

sources=("$root"/native/src/*.cpp "$root"/native/src/gemm/gemm.cpp "$root"/native/src/gemm/gemm_generic.cpp
  "$root"/native/src/kernels/*.cpp "$root"/native/test/kernel_test.cpp)
"$cxx" "${flags[@]}" "${sources[@]}" "${objects[@]}" -o "$out/kernel_test"

ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 "$out/kernel_test"
