// The .scn line classifier and scenario parser; the grammar is in scenario.h.
#include "sim/script/scenario.h"

#include <algorithm>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "sim/script/lexer.h"

namespace procsim::script {

static_assert(std::variant_size_v<decltype(Input::body)> == 4);
static_assert(static_cast<std::size_t>(InputKind::Program) == 3, "InputKind follows the variant's order");

namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool is_only_blanks(std::string_view text) { return skip_blanks(text, 0) == text.size(); }

// The `end` that closes a program block: at column 1, trailing blanks allowed.
bool is_end_line(std::string_view text) { return starts_with(text, "end") && is_only_blanks(text.substr(3)); }

// A line inside a program block that would start another block.
bool is_program_line(std::string_view text) {
  return starts_with(text, "program") && (text.size() == 7 || is_blank(text[7]));
}

// Lines that are read as syntax must not hide a carriage return: a file with DOS line endings
// would otherwise fail with puzzling messages about its last word.
SyntaxResult<LineKind> reject_carriage_return(std::string_view text, LineKind kind) {
  std::size_t cr = text.find('\r');
  if (cr != std::string_view::npos)
    return base::fail(SyntaxError{column_of(cr), "carriage return in line (DOS line endings?)"});
  return kind;
}

SyntaxResult<LineKind> classify_line(std::string_view text) {
  if (text.empty()) return LineKind::Blank;
  if (starts_with(text, "  ")) return LineKind::Expected;
  char first = text[0];
  if (first == '#') return reject_carriage_return(text, LineKind::Comment);
  if (first == '%') {
    if (text.size() > 1 && text[1] != ' ') return base::fail(SyntaxError{2, "expected a space after '%'"});
    return reject_carriage_return(text, LineKind::Shell);
  }
  if (first == '@') return reject_carriage_return(text, LineKind::SystemCall);
  if (is_lower(first)) return reject_carriage_return(text, LineKind::Directive);
  if (is_only_blanks(text))
    return base::fail(SyntaxError{1, "line of only blanks (an empty output line is written as two spaces)"});
  if (first == ' ')
    return base::fail(SyntaxError{1, "line starts with one space (expected output is indented by two)"});
  if (first == '\t')
    return base::fail(SyntaxError{1, "line starts with a tab (expected output is indented by two spaces)"});
  return base::fail(SyntaxError{
      1, "unrecognized line (expected a directive, '% ', '@PID', '#', or output indented by two spaces)"});
}

ShellInput parse_shell_line(std::string_view text) {
  PROCSIM_ASSERT(starts_with(text, "%"));
  if (text.size() == 1) return ShellInput{"", 2};
  PROCSIM_ASSERT(text[1] == ' ');
  return ShellInput{std::string(text.substr(2)), 3};
}

class ScenarioParser {
 public:
  ScenarioParser(std::string file_name, std::string_view contents);
  ScriptResult<Scenario> parse();

 private:
  Diagnostic error_at(std::size_t index, SyntaxError error) const {
    return locate(m_scenario.file_name, m_scenario.lines[index].number, std::move(error));
  }
  ScriptResult<void> parse_line(std::size_t& index);
  ScriptResult<void> attach_expected(std::size_t index);
  ScriptResult<std::size_t> parse_program(std::size_t index, Directive header);
  void add_input(std::size_t first, std::size_t last, decltype(Input::body) body);

  Scenario m_scenario;
  std::optional<std::size_t> m_open_input;  // the input that the next expected line belongs to
};

ScenarioParser::ScenarioParser(std::string file_name, std::string_view contents) {
  m_scenario.file_name = std::move(file_name);
  m_scenario.ends_with_newline = !contents.empty() && contents.back() == '\n';
  std::size_t start = 0;
  while (start < contents.size()) {
    std::size_t end = std::min(contents.find('\n', start), contents.size());
    int number = static_cast<int>(m_scenario.lines.size()) + 1;
    m_scenario.lines.push_back(
        SourceLine{number, LineKind::Blank, std::string(contents.substr(start, end - start))});
    start = end + 1;
  }
}

ScriptResult<Scenario> ScenarioParser::parse() {
  for (std::size_t index = 0; index < m_scenario.lines.size(); ++index) TRY(parse_line(index));
  for (const Input& input : m_scenario.inputs) {
    PROCSIM_ASSERT(input.first_index <= input.last_index);
    PROCSIM_ASSERT(input.last_index < m_scenario.lines.size());
  }
  return std::move(m_scenario);
}

// Classifies and parses the line at `index`; a program block advances `index` to its `end`.
ScriptResult<void> ScenarioParser::parse_line(std::size_t& index) {
  SourceLine& line = m_scenario.lines[index];
  auto kind = classify_line(line.text);
  if (kind.is_error()) return base::fail(error_at(index, kind.release_error()));
  line.kind = kind.value();
  switch (line.kind) {
    case LineKind::Blank:
    case LineKind::Comment: m_open_input.reset(); return {};
    case LineKind::Expected: return attach_expected(index);
    case LineKind::Shell: add_input(index, index, parse_shell_line(line.text)); return {};
    case LineKind::SystemCall: {
      auto call = parse_system_call_line(line.text);
      if (call.is_error()) return base::fail(error_at(index, call.release_error()));
      add_input(index, index, call.release_value());
      return {};
    }
    case LineKind::Directive: {
      auto directive = TRY(Directive::parse(m_scenario.file_name, line.number, line.text));
      if (directive.name() == "end")
        return base::fail(directive.error_at(1, "'end' with no open 'program' block"));
      if (directive.name() != "program") {
        add_input(index, index, std::move(directive));
        return {};
      }
      // `program NAME file=PATH` takes its source from a file and has no body and no `end`.
      if (directive.find("file") != nullptr) {
        int end_line = line.number;
        add_input(index, index, ProgramBlock{std::move(directive), {}, end_line});
        return {};
      }
      index = TRY(parse_program(index, std::move(directive)));
      return {};
    }
    case LineKind::ProgramText:
    case LineKind::ProgramEnd: break;
  }
  PROCSIM_UNREACHABLE();
}

ScriptResult<void> ScenarioParser::attach_expected(std::size_t index) {
  const SourceLine& line = m_scenario.lines[index];
  PROCSIM_ASSERT(line.kind == LineKind::Expected);
  if (!m_open_input)
    return base::fail(error_at(index, SyntaxError{1, "expected output with no input line above it"}));
  Input& input = m_scenario.inputs[*m_open_input];
  PROCSIM_ASSERT(input.last_index + input.expected.size() + 1 == index);
  input.expected.push_back(line.text.substr(2));
  return {};
}

// Reads the block opened at `index`; returns the index of its `end` line.
ScriptResult<std::size_t> ScenarioParser::parse_program(std::size_t index, Directive header) {
  PROCSIM_ASSERT(header.name() == "program");
  ProgramBlock block{std::move(header), {}, 0};
  for (std::size_t next = index + 1; next < m_scenario.lines.size(); ++next) {
    SourceLine& line = m_scenario.lines[next];
    if (is_end_line(line.text)) {
      line.kind = LineKind::ProgramEnd;
      block.end_line = line.number;
      add_input(index, next, std::move(block));
      return next;
    }
    if (is_program_line(line.text)) {
      return base::fail(block.header.error_at(
          1, fmt::format("'program' block has no matching 'end' (line {} starts another 'program')",
                         line.number)));
    }
    line.kind = LineKind::ProgramText;
    block.lines.push_back(ProgramLine{line.number, line.text});
  }
  return base::fail(block.header.error_at(1, "'program' block has no matching 'end'"));
}

void ScenarioParser::add_input(std::size_t first, std::size_t last, decltype(Input::body) body) {
  PROCSIM_ASSERT(first <= last);
  PROCSIM_ASSERT(last < m_scenario.lines.size());
  int number = m_scenario.lines[first].number;
  m_scenario.inputs.push_back(Input{std::move(body), number, first, last, {}});
  m_open_input = m_scenario.inputs.size() - 1;
}

}  // namespace

SyntaxResult<SystemCallInput> parse_system_call_line(std::string_view text) {
  PROCSIM_ASSERT(starts_with(text, "@"));
  std::size_t pid_end = 1;
  while (pid_end < text.size() && !is_blank(text[pid_end])) ++pid_end;
  std::string_view token = text.substr(1, pid_end - 1);
  if (token.empty()) return base::fail(SyntaxError{2, "missing pid after '@'"});
  // Pids are decimal even with a leading zero, unlike numbers in directives.
  std::uint64_t pid = 0;
  for (char c : token) {
    if (!is_digit(c)) return base::fail(SyntaxError{2, fmt::format("bad pid '{}'", token)});
    pid = pid * 10 + static_cast<std::uint64_t>(c - '0');
    if (pid > kScriptPidMax)
      return base::fail(SyntaxError{2, fmt::format("pid '{}' is out of range", token)});
  }
  std::size_t call_start = skip_blanks(text, pid_end);
  if (call_start == text.size())
    return base::fail(
        SyntaxError{column_of(call_start), fmt::format("missing system call after '@{}'", token)});
  Call call = TRY(parse_call(text, call_start));
  return SystemCallInput{static_cast<std::uint32_t>(pid), 2, std::move(call)};
}

ScriptResult<Scenario> parse_scenario(std::string file_name, std::string_view contents) {
  if (contents.size() > kScenarioBytesMax) {
    return base::fail(
        Diagnostic{std::move(file_name), 1, 1,
                   fmt::format("file is larger than the limit of {} bytes", kScenarioBytesMax)});
  }
  return ScenarioParser(std::move(file_name), contents).parse();
}

}  // namespace procsim::script
