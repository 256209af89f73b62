// The asm command; see asm_command.h.
#include "model/driver/asm_command.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "model/machine/arch.h"
#include "model/machine/asm/assembler.h"

namespace procsim::driver {

namespace {

void print(std::FILE* stream, std::string_view text) { std::fwrite(text.data(), 1, text.size(), stream); }

}  // namespace

int assemble_file(const AsmOptions& options, std::FILE* out, std::FILE* err) {
  auto arch = machine::arch_from_name(options.arch);
  if (!arch) {
    print(err, fmt::format("procsim: asm: unknown architecture '{}' (expected one of: i386, amd64, arm64, "
                           "riscv64)\n",
                           options.arch));
    return 2;
  }
  std::ifstream in(options.file, std::ios::binary);
  if (!in) {
    print(err, fmt::format("procsim: {}: cannot read: {}\n", options.file, std::strerror(errno)));
    return 2;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  // A program assembled for its own architecture: a native process of that machine.
  auto abi = machine::program_abi(*arch, *arch);
  if (abi.is_error()) {
    print(err, fmt::format("procsim: asm: architecture '{}' cannot run its own programs\n", options.arch));
    return 2;
  }
  auto image = machine::assemble(abi.value(), buffer.str());
  if (image.is_error()) {
    const machine::AsmError& error = image.error();
    print(err, fmt::format("{}:{}:{}: error: {}\n", options.file, error.line, error.column, error.message));
    return 2;
  }
  print(out, machine::format_listing(image.value()));
  return 0;
}

}  // namespace procsim::driver
