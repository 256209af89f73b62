// The assembler for `program` blocks: GNU as syntax (AT&T for x86) for a documented subset of
// each instruction set, producing exactly the bytes GNU as 2.40 would for the same source.
// The output is an already-linked image: text at the ABI's link address, data on a later
// page, the entry at `_start`. No relocations, no object files, no local numeric labels.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/machine/arch.h"
#include "sim/base/bytes.h"
#include "sim/base/result.h"

namespace procsim::machine {

// Bad assembler input: where (1-based line and column in the program text) and what. The
// driver prints it as FILE:LINE:COL: error: MESSAGE.
struct AsmError {
  int line = 0;
  int column = 0;
  std::string message;
  bool operator==(const AsmError&) const = default;
};

enum class SectionId : std::uint8_t { Text, Data };

struct Section {
  std::uint64_t address = 0;
  base::Bytes bytes;
};

struct ImageSymbol {
  std::string name;
  std::uint64_t value = 0;
  bool is_label = true;  // false: an .equ/.set constant
};

// One line of `procsim asm` output: an instruction, a directive's bytes, or a label.
struct ListingLine {
  int line = 0;
  SectionId section = SectionId::Text;
  std::uint64_t address = 0;
  base::Bytes bytes;
  std::string source;  // the statement as written, trimmed
};

struct Image {
  Abi abi = Abi::Amd64;
  Section text;
  Section data;
  std::uint64_t entry = 0;
  std::vector<ImageSymbol> symbols;  // in name order
  std::vector<ListingLine> listing;  // in source order
};

// Limits that keep bad input from exhausting memory.
inline constexpr std::size_t kAsmSourceLinesMax = 100000;
inline constexpr std::uint64_t kAsmSectionBytesMax = 16 * 1024 * 1024;

base::Result<Image, AsmError> assemble(Abi abi, std::string_view source);

// `procsim asm` output: one line per listing entry, "ADDRESS  BYTES  SOURCE"; data longer than
// eight bytes continues on further lines without source text.
std::string format_listing(const Image& image);

}  // namespace procsim::machine
