// What every entry point shares: the arity check and the wrapper that turns every C++
// exception into a JS exception, so that nothing escapes to abort the process.
#pragma once

#include <napi.h>

#include <new>
#include <string>

#include "args.h"

namespace tensile {

using Info = Napi::CallbackInfo;

inline void expect_arity(const Info& info, std::size_t n, const char* name) {
    if (info.Length() < n) {
        throw ArgumentError{std::string(name) + " expects " + std::to_string(n) +
                            " arguments, got " + std::to_string(info.Length())};
    }
}

template <void (*F)(const Info&)>
Napi::Value guarded(const Info& info) {
    Napi::Env env = info.Env();
    try {
        F(info);
        return env.Undefined();
    } catch (const Napi::Error&) {
        throw;
    } catch (const ArgumentError& e) {
        throw Napi::TypeError::New(env, "tensile native: " + e.message);
    } catch (const KernelError& e) {
        throw Napi::Error::New(env, std::string("tensile native: ") + e.message);
    } catch (const std::bad_alloc&) {
        throw Napi::Error::New(env, "tensile native: out of memory");
    } catch (const std::exception& e) {
        throw Napi::Error::New(env, std::string("tensile native: ") + e.what());
    } catch (...) {
        throw Napi::Error::New(env, "tensile native: unknown C++ exception, please report");
    }
}

// Registers the conv, pooling, resize and optimizer entry points (spatial.cpp).
void register_spatial_kernels(Napi::Env env, Napi::Object exports);

}  // namespace tensile
