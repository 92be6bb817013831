// In the troupe executable only: a shared library loaded the first time troupe calls into it
// (zip_loader.cpp, xml_loader.cpp), rather than linked and loaded at every start.
#pragma once

#include <dlfcn.h>

#include <string>

#include "common/errors.h"

namespace troupe {

// The library of that soname (the one troupe was built against), as the dynamic linker would
// have found it; `what` says what troupe needed it for. Never unloaded.
inline void* open_library(const char* soname, const char* what) {
  // RTLD_NOW: a function the library lacks is an error here, not a crash later.
  void* handle = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) throw RenderError(std::string("cannot ") + what + ": " + ::dlerror());
  return handle;
}

// The address of a function or variable of the library, as Pointer.
template <typename Pointer>
Pointer library_symbol(void* handle, const char* soname, const char* name) {
  void* address = ::dlsym(handle, name);
  if (address == nullptr)
    throw RenderError(std::string(soname) + " has no " + name + ": reinstall it");
  return reinterpret_cast<Pointer>(address);
}

}  // namespace troupe
