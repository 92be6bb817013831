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
  // RTLD_NOW: the library's own references to other libraries are bound here, so a broken
  // install fails at once. A function troupe calls that the library lacks fails at load too, but
  // by the loader's lookup of every name it forwards (TROUPE_LIBRARY_LOOKUP), right after this.
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

// Load libzip (zip_loader.cpp) and libxml2 (xml_loader.cpp) now rather than at their first
// call, which may come late (a read-along book is written after its audio); throw RenderError
// when one cannot be loaded.
void load_libzip();
void load_libxml2();

}  // namespace troupe

// The loaders' macros. A library's functions are listed once, as X(name) (TROUPE_ZIP_FUNCTIONS);
// each pointer's type is taken from the function's declaration in the library's header.

// In the struct of a library's functions: the pointer to `name`.
#define TROUPE_LIBRARY_POINTER(name) decltype(&::name) name = nullptr;

// In the function that loads the library, with `library` (that struct), `handle` and `soname`:
// `name` looked up (a missing one is thrown).
#define TROUPE_LIBRARY_LOOKUP(name) \
  library.name = troupe::library_symbol<decltype(&::name)>(handle, soname, #name);

// The forwarder of `name`, defined as its header declares it (C functions of one name must
// agree, which the compiler checks): it calls the function of `library()`, which loads it.
#define TROUPE_LIBRARY_FORWARD(library, result, name, parameters, arguments) \
  extern "C" result name parameters { return troupe::library().name arguments; }
