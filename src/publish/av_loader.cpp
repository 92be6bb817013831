// In the troupe executable only: m4b.h's and mp3.h's functions, forwarded to troupe-av.so,
// which is loaded the first time one of them is called (see av_module.h).
#include <dlfcn.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

#include "common/errors.h"
#include "publish/av_module.h"
#include "publish/mp3.h"

namespace troupe {
namespace {

namespace fs = std::filesystem;

// Where the module may be: beside the executable (the build tree), then where `make install`
// puts it. Never the working folder or a search path: only files installed with troupe.
std::vector<fs::path> module_candidates() {
  std::vector<fs::path> candidates;
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (!error) candidates.push_back(self.parent_path() / kAvModuleFile);
  candidates.emplace_back(TROUPE_INSTALLED_AV_MODULE);
  return candidates;
}

const AvModule* load_module() {
  std::string tried;
  for (const fs::path& path : module_candidates()) {
    std::error_code error;
    if (!fs::is_regular_file(path, error)) {
      tried += (tried.empty() ? "" : ", ") + path.string();
      continue;
    }
    // RTLD_NOW: a symbol the executable lacks is an error here, not a crash later.
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) throw RenderError("cannot load " + path.string() + ": " + ::dlerror());
    using Entry = const AvModule* (*)();
    const auto entry = reinterpret_cast<Entry>(::dlsym(handle, kAvModuleEntry));
    const AvModule* module = entry != nullptr ? entry() : nullptr;
    if (module == nullptr || module->interface != kAvModuleInterface ||
        std::strcmp(module->version, TROUPE_VERSION) != 0)
      throw RenderError(path.string() + " is not the module of this troupe (" TROUPE_VERSION
                                        "): reinstall troupe");
    return module;  // never unloaded: FFmpeg keeps state of its own
  }
  throw RenderError("cannot publish M4B or MP3 audio: troupe's FFmpeg module " +
                    std::string(kAvModuleFile) + " is not installed (looked for " + tried + ")");
}

const AvModule& av_module() {
  static std::mutex mutex;
  static const AvModule* module = nullptr;
  std::lock_guard<std::mutex> lock(mutex);
  if (module == nullptr) module = load_module();
  return *module;
}

}  // namespace

bool publish_m4b(const std::string& book_folder, const Manifest& manifest, const BookInfo& book,
                 const std::function<void(const std::string&)>& starting) {
  return av_module().publish_m4b(book_folder, manifest, book, starting);
}

std::string read_cover_image(const std::string& path) { return av_module().read_cover_image(path); }

std::string encode_mp3(const std::string& path) { return av_module().encode_mp3(path); }

}  // namespace troupe
