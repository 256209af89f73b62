// The assembler driver shared by all instruction sets: reads statements, runs directives from
// a table, lays out .text at the ABI's link address and .data on a later page, relaxes
// branches until sizes settle (they only grow), then encodes. One error stops assembly.
#include "model/machine/asm/assembler.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "model/machine/asm/isa.h"
#include "sim/base/text.h"

namespace procsim::machine {
namespace {

using namespace assembly;

enum class ItemKind : std::uint8_t { Label, Marker, Instruction, Data, Bytes, Align, Space };

// One thing laid out in a section, in source order.
struct Item {
  ItemKind kind = ItemKind::Marker;
  SectionId section = SectionId::Text;
  int line = 0;
  int column = 0;
  bool listed = false;  // the statement's listing line
  std::string source;
  std::string label;     // Label: the symbol it defines
  std::size_t insn = 0;  // Instruction: id in the InstructionSet
  unsigned width = 0;    // Data: bytes per value
  std::vector<Expr> values;
  base::Bytes bytes;            // Bytes
  std::uint64_t alignment = 1;  // Align
  std::optional<std::uint8_t> fill;
  std::uint64_t max_skip = 0;  // Align: 0 = no limit
  std::uint64_t count = 0;     // Space: bytes
  std::uint64_t address = 0;
  std::size_t size = 0;
};

enum class Directive : std::uint8_t {
  Text,
  Data,
  Section,
  Global,
  Ignored,
  Values,
  Ascii,
  Asciz,
  Align,
  Balign,
  P2align,
  Space,
  Fill,
  Equ,
};

struct DirectiveRow {
  std::string_view name;
  Directive directive;
  unsigned width;  // Values: bytes per value; 0 = the dialect's .word
};

constexpr std::array kDirectives = {
    DirectiveRow{".text", Directive::Text, 0},       DirectiveRow{".data", Directive::Data, 0},
    DirectiveRow{".section", Directive::Section, 0}, DirectiveRow{".globl", Directive::Global, 0},
    DirectiveRow{".global", Directive::Global, 0},   DirectiveRow{".type", Directive::Ignored, 0},
    DirectiveRow{".size", Directive::Ignored, 0},    DirectiveRow{".byte", Directive::Values, 1},
    DirectiveRow{".short", Directive::Values, 2},    DirectiveRow{".hword", Directive::Values, 2},
    DirectiveRow{".half", Directive::Values, 2},     DirectiveRow{".2byte", Directive::Values, 2},
    DirectiveRow{".word", Directive::Values, 0},     DirectiveRow{".long", Directive::Values, 4},
    DirectiveRow{".int", Directive::Values, 4},      DirectiveRow{".4byte", Directive::Values, 4},
    DirectiveRow{".quad", Directive::Values, 8},     DirectiveRow{".8byte", Directive::Values, 8},
    DirectiveRow{".dword", Directive::Values, 8},    DirectiveRow{".ascii", Directive::Ascii, 0},
    DirectiveRow{".asciz", Directive::Asciz, 0},     DirectiveRow{".string", Directive::Asciz, 0},
    DirectiveRow{".align", Directive::Align, 0},     DirectiveRow{".balign", Directive::Balign, 0},
    DirectiveRow{".p2align", Directive::P2align, 0}, DirectiveRow{".zero", Directive::Space, 0},
    DirectiveRow{".space", Directive::Space, 0},     DirectiveRow{".skip", Directive::Space, 0},
    DirectiveRow{".fill", Directive::Fill, 0},       DirectiveRow{".equ", Directive::Equ, 0},
    DirectiveRow{".set", Directive::Equ, 0},
};

constexpr int kRelaxPassesMax = 64;

std::unique_ptr<InstructionSet> make_instruction_set(Isa isa) {
  switch (isa) {
    case Isa::X86_32: return make_x86_assembler(false);
    case Isa::X86_64: return make_x86_assembler(true);
    case Isa::Aarch64: return make_arm64_assembler();
    case Isa::Rv64: return make_riscv64_assembler();
  }
  PROCSIM_UNREACHABLE();
}

std::uint64_t align_up(std::uint64_t value, std::uint64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

class Assembler {
 public:
  explicit Assembler(Abi abi) : m_abi(abi), m_isa(make_instruction_set(abi_info(abi).isa)) {}

  base::Result<Image, AsmError> run(std::string_view source);

 private:
  AsmError error(int line, int column, std::string message) const {
    return AsmError{line, column, std::move(message)};
  }
  base::Result<void, AsmError> read_line(std::string_view text, int line);
  base::Result<void, AsmError> statement(const Statement& statement);
  base::Result<void, AsmError> directive(const Statement& statement, Item& item);
  base::Result<void, AsmError> define_label(const Operand& label, int line);
  base::Result<void, AsmError> define_constant(const Statement& statement);
  base::Result<std::uint64_t, AsmError> constant_operand(const Statement& statement, std::size_t index,
                                                         std::uint64_t limit);
  base::Result<void, AsmError> alignment(const Statement& statement, Directive kind, Item& item);
  base::Result<void, AsmError> strings(const Statement& statement, bool terminate, Item& item);
  base::Result<void, AsmError> space(const Statement& statement, Item& item);
  base::Result<void, AsmError> fill(const Statement& statement, Item& item);
  base::Result<void, AsmError> layout();
  bool layout_pass(bool may_grow);
  std::size_t item_size(Item& item, std::uint64_t address, bool may_grow, const AddressEstimate& estimate);
  base::Result<void, AsmError> emit(Image& image);
  base::Result<void, AsmError> emit_item(const Item& item, base::Bytes& out);
  std::uint64_t section_base(SectionId section) const;
  void pad_text_end();

  Abi m_abi;
  std::unique_ptr<InstructionSet> m_isa;
  SymbolTable m_symbols;
  std::vector<Item> m_items;
  SectionId m_section = SectionId::Text;
  std::uint64_t m_text_size = 0;
  int m_dot_labels = 0;
};

base::Result<void, AsmError> Assembler::read_line(std::string_view text, int line) {
  std::vector<Statement> statements = TRY(split_line(text, line, m_isa->dialect().comments));
  for (const Statement& one : statements) TRY(statement(one));
  return {};
}

base::Result<void, AsmError> Assembler::define_label(const Operand& label, int line) {
  SymbolInfo info;
  info.kind = SymbolKind::Label;
  info.section = m_section;
  info.item = m_items.size();
  info.line = line;
  info.column = label.column;
  if (!m_symbols.define(label.text, info)) {
    return base::fail(error(line, label.column, fmt::format("symbol '{}' is already defined", label.text)));
  }
  Item item;
  item.kind = ItemKind::Label;
  item.section = m_section;
  item.line = line;
  item.label = label.text;
  m_items.push_back(std::move(item));
  return {};
}

base::Result<void, AsmError> Assembler::statement(const Statement& statement) {
  for (const Operand& label : statement.labels) TRY(define_label(label, statement.line));
  Item item;
  item.line = statement.line;
  item.column = statement.column;
  item.listed = true;
  item.source = statement.source;
  if (!statement.mnemonic.empty() && statement.mnemonic[0] == '.') {
    TRY(directive(statement, item));
  } else if (!statement.mnemonic.empty()) {
    item.kind = ItemKind::Instruction;
    item.insn = TRY(m_isa->parse(statement, m_symbols));
  }
  item.section = m_section;  // after .text/.data took effect
  m_items.push_back(std::move(item));
  return {};
}

base::Result<std::uint64_t, AsmError> Assembler::constant_operand(const Statement& statement,
                                                                  std::size_t index, std::uint64_t limit) {
  const Operand& operand = statement.operands.at(index);
  Expr expr = TRY(parse_expression(operand.text, statement.line, operand.column));
  auto value = known_value(expr, m_symbols);
  if (!value)
    return base::fail(error(statement.line, operand.column, "expression must be an absolute constant"));
  if (*value < 0 || static_cast<std::uint64_t>(*value) > limit) {
    return base::fail(error(statement.line, operand.column, fmt::format("value {} out of range", *value)));
  }
  return static_cast<std::uint64_t>(*value);
}

base::Result<void, AsmError> Assembler::define_constant(const Statement& statement) {
  if (statement.operands.size() != 2) {
    return base::fail(error(statement.line, statement.column,
                            fmt::format("{} needs a name and a value", statement.mnemonic)));
  }
  const Operand& name = statement.operands[0];
  bool valid = !name.text.empty() && is_symbol_start(name.text[0]) &&
               std::all_of(name.text.begin(), name.text.end(), is_symbol_char);
  if (!valid)
    return base::fail(error(statement.line, name.column, fmt::format("bad symbol name '{}'", name.text)));
  Expr expr = TRY(parse_expression(statement.operands[1].text, statement.line, statement.operands[1].column));
  SymbolInfo info;
  info.kind = SymbolKind::Constant;
  info.line = statement.line;
  info.column = name.column;
  for (SymbolRef& ref : expr.symbols) {
    if (ref.name != ".") continue;
    // `.` is the current location: a hidden label at this point.
    ref.name = fmt::format(".L.dot.{}", m_dot_labels++);
    TRY(define_label(Operand{ref.name, ref.column}, statement.line));
  }
  if (auto value = known_value(expr, m_symbols))
    info.value = *value;
  else
    info.deferred = expr;
  if (!m_symbols.define(name.text, info)) {
    return base::fail(
        error(statement.line, name.column, fmt::format("symbol '{}' is already defined", name.text)));
  }
  return {};
}

base::Result<void, AsmError> Assembler::alignment(const Statement& statement, Directive kind, Item& item) {
  if (statement.operands.empty() || statement.operands.size() > 3) {
    return base::fail(
        error(statement.line, statement.column, fmt::format("{} needs 1 to 3 operands", statement.mnemonic)));
  }
  bool power =
      kind == Directive::P2align || (kind == Directive::Align && m_isa->dialect().align_is_power_of_two);
  std::uint64_t value = TRY(constant_operand(statement, 0, power ? 16 : 65536));
  item.kind = ItemKind::Align;
  item.alignment = power ? std::uint64_t{1} << value : std::max<std::uint64_t>(value, 1);
  if ((item.alignment & (item.alignment - 1)) != 0) {
    return base::fail(error(statement.line, statement.operands[0].column, "alignment not a power of 2"));
  }
  if (statement.operands.size() >= 2 && !statement.operands[1].text.empty())
    item.fill = static_cast<std::uint8_t>(TRY(constant_operand(statement, 1, 255)));
  if (statement.operands.size() == 3) item.max_skip = TRY(constant_operand(statement, 2, 65536));
  return {};
}

base::Result<void, AsmError> Assembler::strings(const Statement& statement, bool terminate, Item& item) {
  item.kind = ItemKind::Bytes;
  if (statement.operands.empty()) {
    return base::fail(
        error(statement.line, statement.column, fmt::format("{} needs a string", statement.mnemonic)));
  }
  for (const Operand& operand : statement.operands) {
    const std::string& text = operand.text;
    if (text.size() < 2 || text.front() != '"' || text.back() != '"') {
      return base::fail(error(statement.line, operand.column, "expected a double-quoted string"));
    }
    base::UnescapeError bad;
    auto body = base::c_unescape(std::string_view(text).substr(1, text.size() - 2), &bad);
    if (!body) {
      return base::fail(
          error(statement.line, operand.column + 1 + static_cast<int>(bad.offset), bad.message));
    }
    item.bytes.insert(item.bytes.end(), body->begin(), body->end());
    if (terminate) item.bytes.push_back(0);
  }
  return {};
}

// .space COUNT[, FILL]
base::Result<void, AsmError> Assembler::space(const Statement& statement, Item& item) {
  if (statement.operands.empty() || statement.operands.size() > 2) {
    return base::fail(
        error(statement.line, statement.column, fmt::format("{} needs 1 or 2 operands", statement.mnemonic)));
  }
  item.kind = ItemKind::Space;
  item.count = TRY(constant_operand(statement, 0, kAsmSectionBytesMax));
  if (statement.operands.size() == 2)
    item.fill = static_cast<std::uint8_t>(TRY(constant_operand(statement, 1, 255)));
  return {};
}

// .fill REPEAT[, SIZE[, VALUE]]: REPEAT copies of VALUE, each SIZE bytes (at most 8; only the
// low four bytes of VALUE are used, as in GNU as).
base::Result<void, AsmError> Assembler::fill(const Statement& statement, Item& item) {
  if (statement.operands.empty() || statement.operands.size() > 3) {
    return base::fail(error(statement.line, statement.column, ".fill needs 1 to 3 operands"));
  }
  std::uint64_t repeat = TRY(constant_operand(statement, 0, kAsmSectionBytesMax));
  std::uint64_t size = statement.operands.size() >= 2 ? TRY(constant_operand(statement, 1, 8)) : 1;
  std::uint64_t value = statement.operands.size() == 3 ? TRY(constant_operand(statement, 2, 0xFFFFFFFF)) : 0;
  if (repeat * size > kAsmSectionBytesMax)
    return base::fail(error(statement.line, statement.column, "section too large"));
  item.kind = ItemKind::Bytes;
  for (std::uint64_t i = 0; i < repeat; ++i)
    for (std::uint64_t b = 0; b < size; ++b)
      item.bytes.push_back(b < 4 ? static_cast<std::uint8_t>(value >> (8 * b)) : std::uint8_t{0});
  return {};
}

base::Result<void, AsmError> Assembler::directive(const Statement& statement, Item& item) {
  auto row = std::find_if(kDirectives.begin(), kDirectives.end(),
                          [&](const DirectiveRow& r) { return r.name == statement.mnemonic; });
  if (row == kDirectives.end()) {
    return base::fail(
        error(statement.line, statement.column, fmt::format("unknown directive '{}'", statement.mnemonic)));
  }
  switch (row->directive) {
    case Directive::Text: m_section = SectionId::Text; return {};
    case Directive::Data: m_section = SectionId::Data; return {};
    case Directive::Section: {
      std::string name = statement.operands.empty() ? "" : statement.operands[0].text;
      if (name == ".text" || name == ".data") {
        m_section = name == ".text" ? SectionId::Text : SectionId::Data;
        return {};
      }
      int column = statement.operands.empty() ? statement.column : statement.operands[0].column;
      return base::fail(error(statement.line, column, fmt::format("unsupported section '{}'", name)));
    }
    case Directive::Global:
    case Directive::Ignored: return {};
    case Directive::Values: {
      item.kind = ItemKind::Data;
      item.width = row->width == 0 ? m_isa->dialect().word_bytes : row->width;
      for (const Operand& operand : statement.operands)
        item.values.push_back(TRY(parse_expression(operand.text, statement.line, operand.column)));
      return {};
    }
    case Directive::Ascii: return strings(statement, false, item);
    case Directive::Asciz: return strings(statement, true, item);
    case Directive::Align:
    case Directive::Balign:
    case Directive::P2align: return alignment(statement, row->directive, item);
    case Directive::Space: return space(statement, item);
    case Directive::Fill: return fill(statement, item);
    case Directive::Equ: return define_constant(statement);
  }
  PROCSIM_UNREACHABLE();
}

std::uint64_t Assembler::section_base(SectionId section) const {
  const AbiInfo& abi = abi_info(m_abi);
  if (section == SectionId::Text) return abi.text_base;
  std::uint64_t page = arch_info(abi.arch).page_size_bytes;
  return align_up(abi.text_base + m_text_size, page) + abi.data_segment_gap;
}

std::size_t Assembler::item_size(Item& item, std::uint64_t address, bool may_grow,
                                 const AddressEstimate& estimate) {
  switch (item.kind) {
    case ItemKind::Label:
    case ItemKind::Marker: return 0;
    case ItemKind::Instruction: return m_isa->size(item.insn, address, estimate, may_grow);
    case ItemKind::Data: return item.width * item.values.size();
    case ItemKind::Bytes: return item.bytes.size();
    case ItemKind::Space: return item.count;
    case ItemKind::Align: {
      std::uint64_t padding = (item.alignment - address % item.alignment) % item.alignment;
      if (item.max_skip != 0 && padding > item.max_skip) return 0;
      return padding;
    }
  }
  PROCSIM_UNREACHABLE();
}

// Where a pass stands, for estimating labels it has not reached yet (GNU as's `stretch`).
struct PassState {
  std::size_t current = 0;     // index of the item being sized
  std::uint64_t address = 0;   // its new address
  std::uint64_t old_next = 0;  // where the item after it was in the previous pass
  std::int64_t stretch = 0;    // growth so far in this section during this pass
};

class PassEstimate final : public AddressEstimate {
 public:
  PassEstimate(const SymbolTable& symbols, const std::vector<Item>& items,
               const std::vector<std::size_t>& region, const PassState& pass)
      : m_symbols(symbols), m_items(items), m_region(region), m_pass(pass) {}

  base::Result<std::int64_t, AsmError> value(const Expr& expr, int line) const override {
    auto total = static_cast<std::uint64_t>(expr.constant);
    for (const SymbolRef& ref : expr.symbols) {
      const SymbolInfo* info = m_symbols.find(ref.name);
      if (info == nullptr || info->kind != SymbolKind::Label) {
        Expr single;
        single.symbols.push_back(ref);
        total += static_cast<std::uint64_t>(TRY(evaluate(single, m_symbols, line)));
        continue;
      }
      total += static_cast<std::uint64_t>(ref.sign) * static_cast<std::uint64_t>(label(*info));
    }
    return static_cast<std::int64_t>(total);
  }

  base::Result<std::int64_t, AsmError> current(const Expr& expr, int line) const override {
    return evaluate(expr, m_symbols, line);
  }

 private:
  // gas relax_frag: a label ahead of us in the same section moves by the stretch so far, unless
  // an alignment in between may absorb a positive stretch.
  std::int64_t label(const SymbolInfo& info) const {
    std::int64_t old = info.value;
    bool reached = info.item <= m_pass.current;
    bool same_section = m_items[info.item].section == m_items[m_pass.current].section;
    if (reached || !same_section || m_pass.stretch == 0) return old;
    if (m_pass.stretch < 0 || m_region[info.item] == m_region[m_pass.current]) return old + m_pass.stretch;
    if (static_cast<std::uint64_t>(old) < m_pass.address)
      return static_cast<std::int64_t>(m_pass.old_next) + m_pass.stretch;
    return old;
  }

  const SymbolTable& m_symbols;
  const std::vector<Item>& m_items;
  const std::vector<std::size_t>& m_region;
  const PassState& m_pass;
};

// One layout pass over both sections; true if any size changed.
bool Assembler::layout_pass(bool may_grow) {
  std::vector<std::size_t> region(m_items.size());
  std::size_t alignments = 0;
  for (std::size_t i = 0; i < m_items.size(); ++i) {
    region[i] = alignments;
    if (m_items[i].kind == ItemKind::Align) ++alignments;
  }
  bool changed = false;
  PassState pass;
  PassEstimate estimate(m_symbols, m_items, region, pass);
  for (SectionId section : {SectionId::Text, SectionId::Data}) {
    std::uint64_t address = section_base(section);
    pass.stretch = 0;
    for (std::size_t i = 0; i < m_items.size(); ++i) {
      Item& item = m_items[i];
      if (item.section != section) continue;
      // Labels take their new address at once; later ones are estimated (see PassEstimate).
      if (item.kind == ItemKind::Label)
        m_symbols.find(item.label)->value = static_cast<std::int64_t>(address);
      pass.current = i;
      pass.address = address;
      pass.old_next = item.address + item.size;
      std::size_t size = item_size(item, address, may_grow, estimate);
      pass.stretch =
          static_cast<std::int64_t>(address + size) - static_cast<std::int64_t>(item.address + item.size);
      changed = changed || size != item.size;
      item.address = address;
      item.size = size;
      address += size;
    }
    if (section == SectionId::Text) m_text_size = address - section_base(SectionId::Text);
  }
  return changed;
}

base::Result<void, AsmError> Assembler::layout() {
  layout_pass(false);
  layout_pass(false);  // labels now hold real addresses; sizes are still the shortest forms
  for (int pass = 0; pass < kRelaxPassesMax; ++pass) {
    if (!layout_pass(true)) break;
  }
  if (layout_pass(true)) return base::fail(error(1, 1, "branch relaxation did not settle"));
  for (SectionId section : {SectionId::Text, SectionId::Data}) {
    std::uint64_t end = section_base(section);
    for (const Item& item : m_items)
      if (item.section == section) end = item.address + item.size;
    if (end - section_base(section) > kAsmSectionBytesMax)
      return base::fail(error(1, 1, "section too large"));
  }
  return {};
}

base::Result<void, AsmError> Assembler::emit_item(const Item& item, base::Bytes& out) {
  switch (item.kind) {
    case ItemKind::Label:
    case ItemKind::Marker: return {};
    case ItemKind::Instruction: return m_isa->encode(item.insn, item.address, m_symbols, out);
    case ItemKind::Data:
      for (const Expr& value : item.values) {
        auto raw = static_cast<std::uint64_t>(TRY(evaluate(value, m_symbols, item.line)));
        for (unsigned b = 0; b < item.width; ++b) out.push_back(static_cast<std::uint8_t>(raw >> (8 * b)));
      }
      return {};
    case ItemKind::Bytes: out.insert(out.end(), item.bytes.begin(), item.bytes.end()); return {};
    case ItemKind::Space: out.insert(out.end(), item.count, item.fill.value_or(0)); return {};
    case ItemKind::Align:
      if (item.fill || item.section == SectionId::Data)
        out.insert(out.end(), item.size, item.fill.value_or(0));
      else
        m_isa->pad_text(item.size, out);
      return {};
  }
  PROCSIM_UNREACHABLE();
}

base::Result<void, AsmError> Assembler::emit(Image& image) {
  image.text.address = section_base(SectionId::Text);
  image.data.address = section_base(SectionId::Data);
  for (const Item& item : m_items) {
    base::Bytes& out = item.section == SectionId::Text ? image.text.bytes : image.data.bytes;
    std::size_t before = out.size();
    PROCSIM_ASSERT(before == item.address -
                                 (item.section == SectionId::Text ? image.text.address : image.data.address));
    TRY(emit_item(item, out));
    PROCSIM_ASSERT(out.size() - before == item.size);
    if (!item.listed) continue;
    ListingLine line{item.line, item.section, item.address, {}, item.source};
    line.bytes.assign(out.begin() + static_cast<std::ptrdiff_t>(before), out.end());
    image.listing.push_back(std::move(line));
  }
  for (const auto& [name, info] : m_symbols.all()) {
    if (name.rfind(".L.dot.", 0) == 0) continue;
    Expr self;
    self.symbols.push_back({name, 1, info.column});
    std::int64_t value = TRY(evaluate(self, m_symbols, info.line));
    image.symbols.push_back({name, static_cast<std::uint64_t>(value), info.kind == SymbolKind::Label});
  }
  const SymbolInfo* start = m_symbols.find("_start");
  image.entry = start != nullptr && start->kind == SymbolKind::Label
                    ? static_cast<std::uint64_t>(start->value)
                    : image.text.address;
  return {};
}

// GNU as for riscv pads .text to the largest alignment requested in it.
void Assembler::pad_text_end() {
  std::uint64_t largest = 1;
  for (const Item& item : m_items)
    if (item.section == SectionId::Text && item.kind == ItemKind::Align)
      largest = std::max(largest, item.alignment);
  if (largest <= 4) return;
  Item item;
  item.kind = ItemKind::Align;
  item.section = SectionId::Text;
  item.alignment = largest;
  m_items.push_back(std::move(item));
}

base::Result<Image, AsmError> Assembler::run(std::string_view source) {
  std::vector<std::string> lines = base::split_lines(source);
  if (lines.size() > kAsmSourceLinesMax) return base::fail(error(1, 1, "program too long"));
  for (std::size_t i = 0; i < lines.size(); ++i) TRY(read_line(lines[i], static_cast<int>(i + 1)));
  if (m_isa->dialect().pad_text_end) pad_text_end();
  TRY(layout());
  Image image;
  image.abi = m_abi;
  TRY(emit(image));
  return image;
}

}  // namespace

base::Result<Image, AsmError> assemble(Abi abi, std::string_view source) {
  Assembler assembler(abi);
  return assembler.run(source);
}

std::string format_listing(const Image& image) {
  unsigned digits = abi_info(image.abi).pointer_size_bytes * 2;
  std::string out;
  for (const ListingLine& line : image.listing) {
    std::size_t shown = 0;
    do {
      std::string hex;
      for (std::size_t i = shown; i < line.bytes.size() && i < shown + 8; ++i)
        hex += fmt::format("{:02x} ", line.bytes[i]);
      std::string_view source = shown == 0 ? std::string_view(line.source) : std::string_view();
      std::string text = fmt::format("{:0{}x}  {:<24} {}", line.address + shown, digits, hex, source);
      out += std::string(trim(text)) + "\n";
      shown += 8;
    } while (shown < line.bytes.size());
  }
  return out;
}

}  // namespace procsim::machine
