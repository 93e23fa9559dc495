// Reading and checking the arguments of a binding call. The TypeScript side validates every
// argument first; these checks are the second line, so that a wrong call from anywhere becomes a
// JS exception instead of a crash: every N-API status is checked, every typed array's dtype and
// every span of memory a kernel will touch is bounds-checked.
#pragma once

#include <napi.h>

#include <string>
#include <vector>

#include "../src/kernels/kernels.h"

namespace tensile {

// Thrown for a bad argument; becomes a JS TypeError / RangeError-like Error at the boundary.
struct ArgumentError {
    std::string message;
};

inline void check_status(napi_env env, napi_status status, const char* what) {
    if (status == napi_ok) return;
    const napi_extended_error_info* info = nullptr;
    napi_get_last_error_info(env, &info);
    std::string message = std::string("tensile native: ") + what + " failed";
    if (info != nullptr && info->error_message != nullptr) {
        message += std::string(": ") + info->error_message;
    }
    throw ArgumentError{message};
}

inline const char* dtype_name(DType d) {
    switch (d) {
        case DType::F32: return "float32";
        case DType::F64: return "float64";
        case DType::I32: return "int32";
        case DType::Bool: return "bool";
    }
    return "?";
}

inline std::string arg_name(std::size_t i) { return "argument " + std::to_string(i); }

// Wraps a typed array without copying: `data` points into the JS ArrayBuffer, valid for the
// duration of the call.
inline Array typed_array(const Napi::CallbackInfo& info, std::size_t i) {
    napi_env env = info.Env();
    napi_value v = info[i];
    bool is_typed = false;
    check_status(env, napi_is_typedarray(env, v, &is_typed), "napi_is_typedarray");
    if (!is_typed) throw ArgumentError{arg_name(i) + " must be a typed array"};
    napi_typedarray_type type;
    std::size_t length = 0;
    void* data = nullptr;
    check_status(env, napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr),
                 "napi_get_typedarray_info");
    DType dtype;
    switch (type) {
        case napi_float32_array: dtype = DType::F32; break;
        case napi_float64_array: dtype = DType::F64; break;
        case napi_int32_array: dtype = DType::I32; break;
        case napi_uint8_array: dtype = DType::Bool; break;
        default:
            throw ArgumentError{arg_name(i) +
                                " must be a Float32Array, Float64Array, Int32Array or Uint8Array"};
    }
    return Array{data, dtype, static_cast<index_t>(length)};
}

inline bool is_null(const Napi::CallbackInfo& info, std::size_t i) {
    return info[i].IsNull() || info[i].IsUndefined();
}

inline double number(const Napi::CallbackInfo& info, std::size_t i) {
    napi_env env = info.Env();
    double out = 0;
    napi_status status = napi_get_value_double(env, info[i], &out);
    if (status == napi_number_expected) throw ArgumentError{arg_name(i) + " must be a number"};
    check_status(env, status, "napi_get_value_double");
    return out;
}

// A non-negative integer that fits comfortably in index_t arithmetic.
inline index_t count(const Napi::CallbackInfo& info, std::size_t i) {
    const double v = number(info, i);
    if (!(v >= 0 && v <= 9.0e15) || v != static_cast<double>(static_cast<index_t>(v))) {
        throw ArgumentError{arg_name(i) + " must be a non-negative integer"};
    }
    return static_cast<index_t>(v);
}

inline index_t integer(const Napi::CallbackInfo& info, std::size_t i) {
    const double v = number(info, i);
    if (!(v >= -9.0e15 && v <= 9.0e15) || v != static_cast<double>(static_cast<index_t>(v))) {
        throw ArgumentError{arg_name(i) + " must be an integer"};
    }
    return static_cast<index_t>(v);
}

inline bool boolean(const Napi::CallbackInfo& info, std::size_t i) {
    napi_env env = info.Env();
    bool out = false;
    napi_status status = napi_get_value_bool(env, info[i], &out);
    if (status == napi_boolean_expected) throw ArgumentError{arg_name(i) + " must be a boolean"};
    check_status(env, status, "napi_get_value_bool");
    return out;
}

// A JS array of integers (shapes, strides, conv parameters).
inline Dims integers(const Napi::CallbackInfo& info, std::size_t i) {
    napi_env env = info.Env();
    bool is_array = false;
    check_status(env, napi_is_array(env, info[i], &is_array), "napi_is_array");
    if (!is_array) throw ArgumentError{arg_name(i) + " must be an array of integers"};
    std::uint32_t length = 0;
    check_status(env, napi_get_array_length(env, info[i], &length), "napi_get_array_length");
    if (length > 64) throw ArgumentError{arg_name(i) + " has more than 64 entries"};
    Dims out(length);
    for (std::uint32_t j = 0; j < length; ++j) {
        napi_value element;
        check_status(env, napi_get_element(env, info[i], j, &element), "napi_get_element");
        double v = 0;
        if (napi_get_value_double(env, element, &v) != napi_ok || !(v >= -9.0e15 && v <= 9.0e15) ||
            v != static_cast<double>(static_cast<index_t>(v))) {
            throw ArgumentError{arg_name(i) + " must be an array of integers"};
        }
        out[j] = static_cast<index_t>(v);
    }
    return out;
}

inline void expect_dtype(const Array& a, DType d, const char* what) {
    if (a.dtype != d) {
        throw ArgumentError{std::string(what) + " must be " + dtype_name(d) + ", got " +
                            dtype_name(a.dtype)};
    }
}

inline void expect_float(const Array& a, const char* what) {
    if (a.dtype != DType::F32 && a.dtype != DType::F64) {
        throw ArgumentError{std::string(what) + " must be float32 or float64, got " +
                            dtype_name(a.dtype)};
    }
}

inline void expect_same(const Array& a, const Array& b, const char* what) {
    if (a.dtype != b.dtype) {
        throw ArgumentError{std::string(what) + " must have the same dtype, got " +
                            dtype_name(a.dtype) + " and " + dtype_name(b.dtype)};
    }
}

// At least `n` elements (n computed with overflow checks by the caller's products).
inline void expect_length(const Array& a, index_t n, const char* what) {
    if (a.length < n) {
        throw ArgumentError{std::string(what) + " has " + std::to_string(a.length) +
                            " elements, the kernel needs " + std::to_string(n)};
    }
}

// Product of sizes, failing rather than overflowing.
inline index_t product(std::initializer_list<index_t> sizes) {
    index_t p = 1;
    for (index_t s : sizes) {
        if (s < 0) throw ArgumentError{"a size is negative"};
        if (s != 0 && p > static_cast<index_t>(9.0e15) / s) throw ArgumentError{"sizes overflow"};
        p *= s;
    }
    return p;
}

inline index_t product(const Dims& sizes) {
    index_t p = 1;
    for (index_t s : sizes) p = product({p, s});
    return p;
}

// Checks that offset + Σ i_d·stride_d stays inside [0, length) for every index of shape.
inline void expect_span(const Array& a, index_t offset, const Dims& strides, const Dims& shape,
                        const char* what) {
    if (strides.size() != shape.size()) {
        throw ArgumentError{std::string(what) + " strides and shape differ in rank"};
    }
    for (index_t d : shape) {
        if (d < 0) throw ArgumentError{std::string(what) + " shape has a negative size"};
        if (d == 0) return;
    }
    index_t lo = offset, hi = offset;
    for (std::size_t d = 0; d < shape.size(); ++d) {
        const index_t reach = product({shape[d] - 1, strides[d] < 0 ? -strides[d] : strides[d]});
        if (strides[d] < 0) {
            lo -= reach;
        } else {
            hi += reach;
        }
    }
    if (lo < 0 || hi >= a.length) {
        throw ArgumentError{std::string(what) + " strides reach outside the array"};
    }
}

}  // namespace tensile
