{
  # The native backend. The hot GEMM kernels are compiled once per x86 instruction set, each in
  # its own static library with its own flags; native/src/gemm/gemm.cpp picks one at load time
  # with __builtin_cpu_supports, so the addon runs on any x86-64 and never executes an
  # instruction the CPU lacks. Elsewhere (arm64) the portable kernels are used.
  'target_defaults': {
    'cflags': ['-O3', '-fno-math-errno', '-ffp-contract=off', '-fPIC', '-fvisibility=hidden', '-Wall', '-Wextra', '-Wno-unused-parameter'],
    'cflags_cc': ['-std=c++17'],
    'cflags!': ['-O2', '-O0'],
    'cflags_cc!': ['-std=gnu++17', '-std=gnu++20', '-fno-exceptions', '-fno-rtti'],
    'xcode_settings': {
      'GCC_ENABLE_CPP_EXCEPTIONS': 'YES',
      'CLANG_CXX_LANGUAGE_STANDARD': 'c++17',
      'OTHER_CFLAGS': ['-O3'],
    },
    'msvs_settings': {'VCCLCompilerTool': {'ExceptionHandling': 1, 'AdditionalOptions': ['/std:c++17']}},
    'conditions': [
      ['target_arch=="x64" or target_arch=="ia32"', {'defines': ['TENSILE_X86']}],
    ],
  },
  'targets': [
    {
      'target_name': 'tensile',
      'sources': [
        'native/binding/addon.cpp',
        'native/binding/spatial.cpp',
        'native/src/cpu.cpp',
        'native/src/thread_pool.cpp',
        'native/src/gemm/gemm.cpp',
        'native/src/gemm/gemm_generic.cpp',
        'native/src/kernels/binary.cpp',
        'native/src/kernels/conv.cpp',
        'native/src/kernels/copy.cpp',
        'native/src/kernels/matmul.cpp',
        'native/src/kernels/optim.cpp',
        'native/src/kernels/pool.cpp',
        'native/src/kernels/reduce.cpp',
        'native/src/kernels/resize.cpp',
        'native/src/kernels/unary.cpp',
      ],
      'include_dirs': ["<!(node -p \"require('node-addon-api').include_dir\")"],
      'defines': ['NAPI_VERSION=8', 'NAPI_CPP_EXCEPTIONS', 'NODE_ADDON_API_DISABLE_DEPRECATED'],
      'ldflags': ['-pthread'],
      'cflags': ['-pthread'],
      'conditions': [
        ['target_arch=="x64"', {'dependencies': ['gemm_avx2', 'gemm_avx512']}],
      ],
    },
  ],
  'conditions': [
    ['target_arch=="x64"', {
      'targets': [
        {
          'target_name': 'gemm_avx2',
          'type': 'static_library',
          'sources': ['native/src/gemm/gemm_avx2.cpp'],
          'cflags': ['-mavx2', '-mfma'],
          'xcode_settings': {'OTHER_CFLAGS': ['-O3', '-mavx2', '-mfma']},
        },
        {
          'target_name': 'gemm_avx512',
          'type': 'static_library',
          'sources': ['native/src/gemm/gemm_avx512.cpp'],
          'cflags': ['-mavx512f', '-mfma'],
          'xcode_settings': {'OTHER_CFLAGS': ['-O3', '-mavx512f', '-mfma']},
        },
      ],
    }],
  ],
}
