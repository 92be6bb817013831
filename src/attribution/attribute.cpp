#include "attribution/attribute.h"

#include "attribution/sieve.h"

namespace troupe {

Script attribute(const Story& story, const AttributionOptions& options) {
  return sieve::Sieve(story, options).run();
}

}  // namespace troupe
