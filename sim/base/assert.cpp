// The single place that reports a broken invariant.
#include "sim/base/assert.h"

#include <cstdio>
#include <cstdlib>

namespace procsim::base {

void assertion_failed(const char* condition, const char* file, int line, const char* message) {
  std::fflush(stdout);
  if (message != nullptr) {
    std::fprintf(stderr, "%s:%d: procsim internal error: assertion failed: %s (%s)\n", file, line,
                 condition, message);
  } else {
    std::fprintf(stderr, "%s:%d: procsim internal error: assertion failed: %s\n", file, line,
                 condition);
  }
  std::fflush(stderr);
  std::abort();
}

}  // namespace procsim::base
