// The interface each instruction set's assembler implements (internal to the assembler). The
// shared driver handles directives, sections, symbols and layout; an InstructionSet parses
// instruction statements, reports their sizes during relaxation and encodes them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "model/machine/asm/source.h"

namespace procsim::machine::assembly {

struct Dialect {
  CommentSyntax comments;
  bool align_is_power_of_two;  // `.align N` means 2^N bytes (arm64, riscv) or N bytes (x86)
  unsigned word_bytes;         // `.word`: 2 on x86, 4 elsewhere
  bool pad_text_end;           // riscv: .text ends padded to its largest alignment
};

// Label values during a relaxation pass, estimated the way GNU as does (write.c relax_frag):
// labels not yet reached in this pass are assumed to move by the growth so far.
class AddressEstimate {
 public:
  virtual ~AddressEstimate() = default;
  virtual base::Result<std::int64_t, AsmError> value(const Expr& expr, int line) const = 0;
  // The labels' values as they stand, without estimating movement (riscv's branch relaxation).
  virtual base::Result<std::int64_t, AsmError> current(const Expr& expr, int line) const = 0;
};

class InstructionSet {
 public:
  virtual ~InstructionSet() = default;

  virtual const Dialect& dialect() const = 0;

  // Parses one instruction statement. `symbols` holds what is defined so far in source order;
  // immediate forms chosen here may depend only on constants already defined. Returns an id.
  virtual base::Result<std::size_t, AsmError> parse(const Statement& statement,
                                                    const SymbolTable& symbols) = 0;

  // The instruction's size at `address`, with label values as `estimate` gives them during
  // layout. With `may_grow` a relaxable branch that no longer reaches takes its long form;
  // sizes never shrink again.
  virtual std::size_t size(std::size_t id, std::uint64_t address, const AddressEstimate& estimate,
                           bool may_grow) = 0;

  // Appends exactly size(...) bytes.
  virtual base::Result<void, AsmError> encode(std::size_t id, std::uint64_t address,
                                              const SymbolTable& symbols, base::Bytes& out) const = 0;

  // `count` bytes of padding for .align in the text section (GNU as's no-op fill).
  virtual void pad_text(std::size_t count, base::Bytes& out) const = 0;
};

std::unique_ptr<InstructionSet> make_x86_assembler(bool mode64);
std::unique_ptr<InstructionSet> make_arm64_assembler();
std::unique_ptr<InstructionSet> make_riscv64_assembler();

}  // namespace procsim::machine::assembly
