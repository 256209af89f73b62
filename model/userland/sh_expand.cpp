// Parameter substitution and field splitting; see sh_expand.h.
#include "model/userland/sh_expand.h"

#include "sim/base/assert.h"

namespace procsim::userland {

namespace {

bool is_ifs_white(char c) { return c == ' ' || c == '\t' || c == '\n'; }

// Collects fields: text is appended to the open field; splitting closes it.
class FieldBuilder {
 public:
  void append(std::string_view text, bool counts_as_content) {
    m_current.append(text);
    if (counts_as_content) m_open = true;
  }
  void append_split(std::string_view value) {
    for (char c : value) {
      if (!is_ifs_white(c)) {
        m_current.push_back(c);
        m_open = true;
      } else if (m_open) {
        close();
      }
    }
  }
  void close() {
    if (!m_open) return;
    m_fields.push_back(std::move(m_current));
    m_current.clear();
    m_open = false;
  }
  std::vector<std::string>& fields() { return m_fields; }

 private:
  std::vector<std::string> m_fields;
  std::string m_current;
  bool m_open = false;  // a field exists even if empty ("" makes one)
};

std::string value_of(const ShParameterLookup& lookup, const std::string& name) {
  PROCSIM_ASSERT(static_cast<bool>(lookup));
  return lookup(name).value_or("");
}

}  // namespace

std::vector<std::string> expand_sh_words(std::span<const ShWord> words, const ShParameterLookup& lookup) {
  FieldBuilder builder;
  for (const auto& word : words) {
    for (const auto& part : word.parts) {
      bool is_parameter = part.kind == ShWordPart::Kind::Parameter;
      std::string text = is_parameter ? value_of(lookup, part.text) : part.text;
      if (is_parameter && !part.quoted) {
        builder.append_split(text);
      } else {
        builder.append(text, part.quoted || !text.empty());
      }
    }
    builder.close();
  }
  return std::move(builder.fields());
}

std::string expand_sh_word_unsplit(const ShWord& word, const ShParameterLookup& lookup) {
  std::string out;
  for (const auto& part : word.parts)
    out += part.kind == ShWordPart::Kind::Parameter ? value_of(lookup, part.text) : part.text;
  return out;
}

base::Result<ShDupTarget, ShParseError> resolve_sh_dup_target(std::string_view expanded, int line) {
  if (expanded.size() == 1 && expanded[0] >= '0' && expanded[0] <= '9')
    return ShDupTarget{false, expanded[0] - '0'};
  if (expanded == "-") return ShDupTarget{true, -1};
  return base::fail(ShParseError{ShParseError::Kind::Syntax, "Bad fd number", line});
}

}  // namespace procsim::userland
