// In the troupe executable only: the libzip functions troupe calls, forwarded to libzip, which
// is loaded the first time one of them is called (an EPUB read or written). Linked, libzip
// brought libcrypto, libbz2 and itself into every troupe process at start-up: some 4 ms of CPU
// and 140 page faults before main(), in every render, most of which never open a ZIP archive.
// The tests link libzip itself. Each definition here is checked against <zip.h>'s declaration
// (C functions of one name must agree), and each pointer's type is taken from it.
#include <zip.h>

#include "sources/library_loader.h"

namespace troupe {
namespace {

// The functions troupe calls (`nm -u libtroupe_core.a | grep zip_`), as X(name).
#define TROUPE_ZIP_FUNCTIONS(X) \
  X(zip_close)                  \
  X(zip_discard)                \
  X(zip_error_fini)             \
  X(zip_error_init)             \
  X(zip_error_init_with_code)   \
  X(zip_error_strerror)         \
  X(zip_fclose)                 \
  X(zip_file_add)               \
  X(zip_file_set_dostime)       \
  X(zip_file_strerror)          \
  X(zip_fopen)                  \
  X(zip_fopen_index)            \
  X(zip_fread)                  \
  X(zip_get_archive_comment)    \
  X(zip_get_num_entries)        \
  X(zip_name_locate)            \
  X(zip_open)                   \
  X(zip_open_from_source)       \
  X(zip_set_archive_comment)    \
  X(zip_set_file_compression)   \
  X(zip_source_buffer)          \
  X(zip_source_buffer_create)   \
  X(zip_source_close)           \
  X(zip_source_error)           \
  X(zip_source_free)            \
  X(zip_source_keep)            \
  X(zip_source_open)            \
  X(zip_source_read)            \
  X(zip_source_stat)            \
  X(zip_stat)                   \
  X(zip_stat_index)             \
  X(zip_strerror)

struct ZipLibrary {
  TROUPE_ZIP_FUNCTIONS(TROUPE_LIBRARY_POINTER)
};

ZipLibrary load_zip_library() {
  const char* soname = TROUPE_LIBZIP_SONAME;
  void* handle = open_library(soname, "read or write ZIP archives (EPUB)");
  ZipLibrary library;
  TROUPE_ZIP_FUNCTIONS(TROUPE_LIBRARY_LOOKUP)
  return library;  // never unloaded: archives may be open
}

// Loaded by the first call (a failure is thrown to it, and the next call tries again).
const ZipLibrary& zip_library() {
  static const ZipLibrary library = load_zip_library();
  return library;
}

}  // namespace

void load_libzip() { zip_library(); }

}  // namespace troupe

// The forwarders, each as <zip.h> declares it.
#define TROUPE_ZIP_FORWARD(...) TROUPE_LIBRARY_FORWARD(zip_library, __VA_ARGS__)

TROUPE_ZIP_FORWARD(int, zip_close, (zip_t * archive), (archive))
TROUPE_ZIP_FORWARD(void, zip_discard, (zip_t * archive), (archive))
TROUPE_ZIP_FORWARD(void, zip_error_fini, (zip_error_t * error), (error))
TROUPE_ZIP_FORWARD(void, zip_error_init, (zip_error_t * error), (error))
TROUPE_ZIP_FORWARD(void, zip_error_init_with_code, (zip_error_t * error, int code), (error, code))
TROUPE_ZIP_FORWARD(const char*, zip_error_strerror, (zip_error_t * error), (error))
TROUPE_ZIP_FORWARD(int, zip_fclose, (zip_file_t * file), (file))
TROUPE_ZIP_FORWARD(zip_int64_t, zip_file_add,
                   (zip_t * archive, const char* name, zip_source_t* source, zip_flags_t flags),
                   (archive, name, source, flags))
TROUPE_ZIP_FORWARD(int, zip_file_set_dostime,
                   (zip_t * archive, zip_uint64_t index, zip_uint16_t time, zip_uint16_t date,
                    zip_flags_t flags),
                   (archive, index, time, date, flags))
TROUPE_ZIP_FORWARD(const char*, zip_file_strerror, (zip_file_t * file), (file))
TROUPE_ZIP_FORWARD(zip_file_t*, zip_fopen, (zip_t * archive, const char* name, zip_flags_t flags),
                   (archive, name, flags))
TROUPE_ZIP_FORWARD(zip_file_t*, zip_fopen_index,
                   (zip_t * archive, zip_uint64_t index, zip_flags_t flags),
                   (archive, index, flags))
TROUPE_ZIP_FORWARD(zip_int64_t, zip_fread, (zip_file_t * file, void* buffer, zip_uint64_t bytes),
                   (file, buffer, bytes))
TROUPE_ZIP_FORWARD(const char*, zip_get_archive_comment,
                   (zip_t * archive, int* length, zip_flags_t flags), (archive, length, flags))
TROUPE_ZIP_FORWARD(zip_int64_t, zip_get_num_entries, (zip_t * archive, zip_flags_t flags),
                   (archive, flags))
TROUPE_ZIP_FORWARD(zip_int64_t, zip_name_locate,
                   (zip_t * archive, const char* name, zip_flags_t flags), (archive, name, flags))
TROUPE_ZIP_FORWARD(zip_t*, zip_open, (const char* path, int flags, int* error),
                   (path, flags, error))
TROUPE_ZIP_FORWARD(zip_t*, zip_open_from_source,
                   (zip_source_t * source, int flags, zip_error_t* error), (source, flags, error))
TROUPE_ZIP_FORWARD(int, zip_set_archive_comment,
                   (zip_t * archive, const char* comment, zip_uint16_t length),
                   (archive, comment, length))
TROUPE_ZIP_FORWARD(int, zip_set_file_compression,
                   (zip_t * archive, zip_uint64_t index, zip_int32_t method, zip_uint32_t level),
                   (archive, index, method, level))
TROUPE_ZIP_FORWARD(zip_source_t*, zip_source_buffer,
                   (zip_t * archive, const void* data, zip_uint64_t bytes, int free_it),
                   (archive, data, bytes, free_it))
TROUPE_ZIP_FORWARD(zip_source_t*, zip_source_buffer_create,
                   (const void* data, zip_uint64_t bytes, int free_it, zip_error_t* error),
                   (data, bytes, free_it, error))
TROUPE_ZIP_FORWARD(int, zip_source_close, (zip_source_t * source), (source))
TROUPE_ZIP_FORWARD(zip_error_t*, zip_source_error, (zip_source_t * source), (source))
TROUPE_ZIP_FORWARD(void, zip_source_free, (zip_source_t * source), (source))
TROUPE_ZIP_FORWARD(void, zip_source_keep, (zip_source_t * source), (source))
TROUPE_ZIP_FORWARD(int, zip_source_open, (zip_source_t * source), (source))
TROUPE_ZIP_FORWARD(zip_int64_t, zip_source_read,
                   (zip_source_t * source, void* buffer, zip_uint64_t bytes),
                   (source, buffer, bytes))
TROUPE_ZIP_FORWARD(int, zip_source_stat, (zip_source_t * source, zip_stat_t* stat), (source, stat))
TROUPE_ZIP_FORWARD(int, zip_stat,
                   (zip_t * archive, const char* name, zip_flags_t flags, zip_stat_t* stat),
                   (archive, name, flags, stat))
TROUPE_ZIP_FORWARD(int, zip_stat_index,
                   (zip_t * archive, zip_uint64_t index, zip_flags_t flags, zip_stat_t* stat),
                   (archive, index, flags, stat))
TROUPE_ZIP_FORWARD(const char*, zip_strerror, (zip_t * archive), (archive))
