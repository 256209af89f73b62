// The directive word lexer and typed argument access; the grammar is in directive.h.
#include "sim/script/directive.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "sim/base/text.h"
#include "sim/script/lexer.h"

namespace procsim::script {

namespace {

bool is_name_char(char c) {
  return is_lower(c) || is_digit(c) || c == '_' || c == '-';
}
bool is_key_char(char c) {
  return is_lower(c) || is_digit(c) || c == '_';
}

bool is_valid_name(std::string_view name) {
  return !name.empty() && is_lower(name[0]) && std::all_of(name.begin(), name.end(), is_name_char);
}

bool is_valid_key(std::string_view key) {
  return !key.empty() && is_lower(key[0]) && std::all_of(key.begin(), key.end(), is_key_char);
}

struct LexedWord {
  Word word;
  std::size_t end = 0;  // index just past the word
};

// A quoted value must end its word: `"a"b` is an error rather than a silent concatenation.
SyntaxResult<void> expect_word_end(std::string_view line, std::size_t index) {
  if (index < line.size() && !is_blank(line[index]))
    return base::fail(SyntaxError{column_of(index), "expected a blank after the closing quote"});
  return {};
}

SyntaxResult<LexedWord> lex_quoted_word(std::string_view line, std::size_t start, std::size_t quote,
                                        std::string key, bool after_separator) {
  PROCSIM_ASSERT(start <= quote);
  auto quoted = TRY(lex_quoted(line, quote));
  TRY(expect_word_end(line, quoted.end));
  Word word;
  word.raw = std::string(line.substr(start, quoted.end - start));
  word.key = std::move(key);
  word.value = std::move(quoted.value);
  word.column = column_of(start);
  word.value_column = column_of(quote);
  word.quoted = true;
  word.after_separator = after_separator;
  return LexedWord{std::move(word), quoted.end};
}

SyntaxResult<LexedWord> lex_word(std::string_view line, std::size_t start, bool after_separator) {
  PROCSIM_ASSERT(start < line.size());
  PROCSIM_ASSERT(!is_blank(line[start]));
  if (line[start] == '"') return lex_quoted_word(line, start, start, "", after_separator);
  std::size_t end = start;
  while (end < line.size() && !is_blank(line[end]) && line[end] != '"') ++end;
  std::string_view bare = line.substr(start, end - start);
  std::size_t equals = after_separator ? std::string_view::npos : bare.find('=');
  bool keyed = equals != std::string_view::npos && is_valid_key(bare.substr(0, equals));
  if (end < line.size() && line[end] == '"') {
    if (keyed && equals + 1 == bare.size())
      return lex_quoted_word(line, start, end, std::string(bare.substr(0, equals)), after_separator);
    return base::fail(SyntaxError{column_of(end), "unexpected '\"' inside a word"});
  }
  Word word;
  word.raw = std::string(bare);
  word.column = column_of(start);
  word.value_column = word.column;
  word.after_separator = after_separator;
  if (keyed) {
    word.key = std::string(bare.substr(0, equals));
    word.value = std::string(bare.substr(equals + 1));
    word.value_column = column_of(start + equals + 1);
    if (word.value.empty())
      return base::fail(SyntaxError{word.value_column, fmt::format("missing value for '{}'", word.key)});
  } else {
    word.value = word.raw;
  }
  return LexedWord{std::move(word), end};
}

}  // namespace

ScriptResult<Directive> Directive::parse(std::string file, int line, std::string_view text) {
  PROCSIM_ASSERT(line >= 1);
  std::size_t name_end = 0;
  while (name_end < text.size() && !is_blank(text[name_end])) ++name_end;
  std::string_view name = text.substr(0, name_end);
  if (!is_valid_name(name))
    return base::fail(Diagnostic{file, line, 1, fmt::format("bad directive name '{}'", name)});
  Directive directive(std::move(file), line, std::string(name));
  bool after_separator = false;
  for (std::size_t index = skip_blanks(text, name_end); index < text.size();
       index = skip_blanks(text, index)) {
    if (directive.m_words.size() == kDirectiveWordsMax) {
      return base::fail(directive.error_at(column_of(index),
                                           fmt::format("too many words (at most {})", kDirectiveWordsMax)));
    }
    auto lexed = lex_word(text, index, after_separator);
    if (lexed.is_error()) return base::fail(locate(directive.m_file, line, lexed.release_error()));
    Word word = std::move(lexed.value().word);
    index = lexed.value().end;
    if (word.is_keyed() && directive.find(word.key) != nullptr)
      return base::fail(directive.error_at(word, fmt::format("duplicate argument '{}'", word.key)));
    after_separator = after_separator || word.is_separator();
    directive.m_words.push_back(std::move(word));
  }
  PROCSIM_ASSERT(directive.m_words.size() <= kDirectiveWordsMax);
  return directive;
}

const Word* Directive::find(std::string_view key) const {
  PROCSIM_ASSERT(!key.empty());
  for (const Word& word : m_words)
    if (word.key == key) return &word;
  return nullptr;
}

std::vector<const Word*> Directive::positionals() const {
  std::vector<const Word*> result;
  for (const Word& word : m_words) {
    if (word.is_separator()) break;
    if (!word.is_keyed()) result.push_back(&word);
  }
  return result;
}

bool Directive::has_separator() const {
  return std::any_of(m_words.begin(), m_words.end(), [](const Word& word) { return word.is_separator(); });
}

std::vector<const Word*> Directive::after_separator() const {
  std::vector<const Word*> result;
  for (const Word& word : m_words)
    if (word.after_separator) result.push_back(&word);
  PROCSIM_ASSERT(result.empty() || has_separator());
  return result;
}

ScriptResult<void> Directive::check_keys(std::initializer_list<std::string_view> allowed) const {
  for (const Word& word : m_words) {
    if (!word.is_keyed()) continue;
    if (std::find(allowed.begin(), allowed.end(), word.key) != allowed.end()) continue;
    return base::fail(error_at(word, fmt::format("unknown argument '{}' to '{}'", word.key, m_name)));
  }
  return {};
}

ScriptResult<void> Directive::check_positionals(std::size_t max, bool separator_allowed) const {
  std::size_t count = 0;
  for (const Word& word : m_words) {
    if (word.is_separator() && separator_allowed) break;
    if (word.is_keyed()) continue;
    if (word.is_separator() || ++count > max)
      return base::fail(error_at(word, fmt::format("unexpected argument '{}' to '{}'", word.raw, m_name)));
  }
  PROCSIM_ASSERT(count <= max);
  return {};
}

Diagnostic Directive::bad_number(const Word& word, std::string_view text, int column) const {
  std::string_view label = word.is_keyed() ? std::string_view(word.key) : std::string_view(m_name);
  return error_at(column, fmt::format("bad number '{}' for '{}'", base::c_escape(text), label));
}

ScriptResult<std::optional<std::uint64_t>> Directive::get_u64(std::string_view key) const {
  const Word* word = find(key);
  if (word == nullptr) return std::optional<std::uint64_t>();
  auto number = base::parse_c_unsigned(word->value);
  if (!number) return base::fail(bad_number(*word, word->value, word->value_column));
  return number;
}

ScriptResult<std::optional<std::int64_t>> Directive::get_i64(std::string_view key) const {
  const Word* word = find(key);
  if (word == nullptr) return std::optional<std::int64_t>();
  auto number = base::parse_c_signed(word->value);
  if (!number) return base::fail(bad_number(*word, word->value, word->value_column));
  return number;
}

ScriptResult<std::optional<std::string>> Directive::get_string(std::string_view key) const {
  const Word* word = find(key);
  if (word == nullptr) return std::optional<std::string>();
  return std::optional<std::string>(word->value);
}

ScriptResult<std::optional<std::vector<std::uint64_t>>> Directive::get_u64_list(std::string_view key) const {
  const Word* word = find(key);
  if (word == nullptr) return std::optional<std::vector<std::uint64_t>>();
  std::vector<std::uint64_t> numbers;
  std::string_view value = word->value;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = std::min(value.find(',', start), value.size());
    std::string_view element = value.substr(start, comma - start);
    // A quoted value's bytes no longer line up with columns, so its errors point at the quote.
    int column = word->quoted ? word->value_column : word->value_column + static_cast<int>(start);
    auto number = base::parse_c_unsigned(element);
    if (!number) return base::fail(bad_number(*word, element, column));
    numbers.push_back(*number);
    if (comma == value.size()) break;
    start = comma + 1;
  }
  PROCSIM_ASSERT(!numbers.empty());
  return std::optional<std::vector<std::uint64_t>>(std::move(numbers));
}

ScriptResult<std::optional<std::size_t>> Directive::get_choice(
    std::string_view key, std::span<const std::string_view> choices) const {
  PROCSIM_ASSERT(!choices.empty());
  const Word* word = find(key);
  if (word == nullptr) return std::optional<std::size_t>();
  for (std::size_t index = 0; index < choices.size(); ++index)
    if (choices[index] == word->value) return std::optional<std::size_t>(index);
  return base::fail(
      error_at(word->value_column, fmt::format("unknown value '{}' for '{}' (expected one of: {})",
                                               base::c_escape(word->value), key, fmt::join(choices, ", "))));
}

ScriptResult<std::uint64_t> Directive::require_u64(std::string_view key) const {
  auto number = TRY(get_u64(key));
  if (!number) return base::fail(missing_argument(key));
  return *number;
}

ScriptResult<std::string> Directive::require_string(std::string_view key) const {
  auto text = TRY(get_string(key));
  if (!text) return base::fail(missing_argument(key));
  return std::move(*text);
}

ScriptResult<std::uint64_t> Directive::positional_u64(std::size_t index) const {
  auto words = positionals();
  if (index >= words.size()) return base::fail(error_at(1, fmt::format("missing argument to '{}'", m_name)));
  const Word& word = *words[index];
  auto number = base::parse_c_unsigned(word.value);
  if (!number) return base::fail(bad_number(word, word.value, word.value_column));
  return *number;
}

Diagnostic Directive::error_at(int column, std::string message) const {
  PROCSIM_ASSERT(column >= 1);
  return Diagnostic{m_file, m_line, column, std::move(message)};
}

Diagnostic Directive::error_at(const Word& word, std::string message) const {
  return error_at(word.column, std::move(message));
}

Diagnostic Directive::unknown_directive() const {
  return error_at(name_column(), fmt::format("unknown directive '{}'", m_name));
}

Diagnostic Directive::missing_argument(std::string_view key) const {
  PROCSIM_ASSERT(!key.empty());
  return error_at(name_column(), fmt::format("missing argument '{}' to '{}'", key, m_name));
}

}  // namespace procsim::script
