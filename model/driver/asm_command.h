// `procsim asm --arch A FILE`: assembles a file as a `program` block would be, and prints one
// line per instruction or data directive (address, bytes, source). Errors are diagnostics.
#pragma once

#include <cstdio>

#include "model/driver/cli.h"

namespace procsim::driver {

// 0 on success, 2 on a bad architecture, an unreadable file or an assembly error.
int assemble_file(const AsmOptions& options, std::FILE* out, std::FILE* err);

}  // namespace procsim::driver
