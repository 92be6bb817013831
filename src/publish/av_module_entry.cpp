// The entry point of troupe-av.so (see av_module.h).
#include "publish/av_module.h"
#include "publish/mp3.h"

extern "C" __attribute__((visibility("default"))) const troupe::AvModule* troupe_av_module() {
  static const troupe::AvModule module{troupe::kAvModuleInterface, TROUPE_VERSION,
                                       &troupe::publish_m4b, &troupe::read_cover_image,
                                       &troupe::encode_mp3};
  return &module;
}
