// The x86 InstructionSet: keeps parsed instructions, measures them, relaxes jmp/jcc, and pads
// .align in text with the multi-byte no-ops GNU as 2.40 emits (longest pattern first, then the
// remainder: 11-byte patterns in 64-bit mode, 7-byte lea patterns in 32-bit mode; long runs
// start with a jmp over the padding).
#include <array>

#include "model/machine/asm/x86_asm.h"

namespace procsim::machine::assembly {
namespace {

using namespace x86asm;

struct NopPattern {
  std::uint8_t length;
  std::array<std::uint8_t, 11> bytes;
};

constexpr std::array<NopPattern, 12> kNops64 = {{
    {0, {}},
    {1, {0x90}},
    {2, {0x66, 0x90}},
    {3, {0x0f, 0x1f, 0x00}},
    {4, {0x0f, 0x1f, 0x40, 0x00}},
    {5, {0x0f, 0x1f, 0x44, 0x00, 0x00}},
    {6, {0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00}},
    {7, {0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00}},
    {8, {0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00}},
    {9, {0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00}},
    {10, {0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00}},
    {11, {0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00}},
}};

constexpr std::array<NopPattern, 8> kNops32 = {{
    {0, {}},
    {1, {0x90}},
    {2, {0x66, 0x90}},
    {3, {0x8d, 0x76, 0x00}},
    {4, {0x8d, 0x74, 0x26, 0x00}},
    {5, {0x8d, 0x74, 0x26, 0x00, 0x90}},
    {6, {0x8d, 0xb6, 0x00, 0x00, 0x00, 0x00}},
    {7, {0x8d, 0xb4, 0x26, 0x00, 0x00, 0x00, 0x00}},
}};

constexpr bool patterns_are_indexed_by_length() {
  for (std::size_t i = 0; i < kNops64.size(); ++i)
    if (kNops64[i].length != i) return false;
  for (std::size_t i = 0; i < kNops32.size(); ++i)
    if (kNops32[i].length != i) return false;
  return true;
}
static_assert(patterns_are_indexed_by_length());

// Padding of at least this many bytes begins with a jmp over it (measured from GNU as 2.40 with
// its default tuning: 8 eleven-byte no-ops in 64-bit mode, 3 seven-byte ones in 32-bit mode).
constexpr std::size_t kJumpOverPadding64 = 88;
constexpr std::size_t kJumpOverPadding32 = 21;

class X86InstructionSet final : public InstructionSet {
 public:
  explicit X86InstructionSet(bool mode64) : m_mode64(mode64) {}

  const Dialect& dialect() const override { return m_dialect; }

  base::Result<std::size_t, AsmError> parse(const Statement& statement, const SymbolTable& symbols) override {
    XInsn insn = TRY(parse_instruction(statement, symbols, m_mode64));
    base::Bytes sizing;
    TRY(encode_instruction(insn, 0, nullptr, m_mode64, sizing));
    insn.fixed_size = sizing.size();
    m_insns.push_back(std::move(insn));
    return m_insns.size() - 1;
  }

  std::size_t size(std::size_t id, std::uint64_t address, const AddressEstimate& estimate,
                   bool may_grow) override {
    XInsn& insn = m_insns.at(id);
    if (!is_relaxable(insn)) return insn.fixed_size;
    if (!insn.long_form && may_grow) {
      auto target = estimate.value(insn.operands[0].imm, insn.line);
      if (target.ok()) {
        std::int64_t displacement = target.value() - static_cast<std::int64_t>(address + 2);
        if (!m_mode64) displacement = static_cast<std::int32_t>(static_cast<std::uint32_t>(displacement));
        insn.long_form = displacement < -128 || displacement > 127;
      }
    }
    if (!insn.long_form) return 2;
    return insn.family == Family::Jcc ? 6 : 5;
  }

  base::Result<void, AsmError> encode(std::size_t id, std::uint64_t address, const SymbolTable& symbols,
                                      base::Bytes& out) const override {
    return encode_instruction(m_insns.at(id), address, &symbols, m_mode64, out);
  }

  void pad_text(std::size_t count, base::Bytes& out) const override {
    std::size_t longest = m_mode64 ? kNops64.size() - 1 : kNops32.size() - 1;
    if (count >= (m_mode64 ? kJumpOverPadding64 : kJumpOverPadding32)) {
      // A long run of padding starts with a jump over the no-ops.
      bool near = count - 2 <= 127;
      std::size_t rest = count - (near ? 2 : 5);
      out.push_back(near ? 0xEB : 0xE9);
      for (unsigned i = 0; i < (near ? 1u : 4u); ++i)
        out.push_back(static_cast<std::uint8_t>(rest >> (8 * i)));
      count = rest;
    }
    while (count > 0) {
      std::size_t piece = count > longest ? longest : count;
      const NopPattern& pattern = m_mode64 ? kNops64[piece] : kNops32[piece];
      PROCSIM_ASSERT(pattern.length == piece);
      out.insert(out.end(), pattern.bytes.begin(), pattern.bytes.begin() + pattern.length);
      count -= piece;
    }
  }

 private:
  bool m_mode64;
  Dialect m_dialect{CommentSyntax{true, false, false}, false, 2, false};
  std::vector<XInsn> m_insns;
};

}  // namespace

std::unique_ptr<InstructionSet> make_x86_assembler(bool mode64) {
  return std::make_unique<X86InstructionSet>(mode64);
}

}  // namespace procsim::machine::assembly
