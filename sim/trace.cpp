// The trace formatter and sink. Quoting follows one rule so a trace line can always be split back
// into fields: a value is bare only if it cannot be confused with a separator or a quote.
#include "sim/trace.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include <fmt/format.h>

#include "sim/base/assert.h"
#include "sim/base/text.h"

namespace procsim::sim {

namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool is_valid_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), is_name_char);
}

bool can_print_bare(std::string_view text) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte > 0x20 && byte < 0x7f && c != '"' && c != '\\';
  });
}

void append_value(std::string& out, const TraceValue& value) {
  if (const auto* signed_value = std::get_if<std::int64_t>(&value)) {
    fmt::format_to(std::back_inserter(out), "{}", *signed_value);
    return;
  }
  if (const auto* unsigned_value = std::get_if<std::uint64_t>(&value)) {
    fmt::format_to(std::back_inserter(out), "{}", *unsigned_value);
    return;
  }
  const auto& text = std::get<std::string>(value);
  if (can_print_bare(text)) {
    out += text;
    return;
  }
  out += '"';
  out += base::c_escape(text);
  out += '"';
}

}  // namespace

std::string format_trace_event(const TraceEvent& event) {
  PROCSIM_ASSERT_MSG(is_valid_name(event.kind.name), "trace kind names use [a-z0-9_-]");
  std::string out = fmt::format("[tick {}] {}", event.tick, event.kind.name);
  for (const auto& field : event.fields) {
    PROCSIM_ASSERT_MSG(is_valid_name(field.key), "trace field keys use [a-z0-9_-]");
    out += ' ';
    out += field.key;
    out += '=';
    append_value(out, field.value);
  }
  PROCSIM_ASSERT(out.find('\n') == std::string::npos);
  return out;
}

TraceSink::TraceSink(std::size_t max_lines) : m_max_lines(max_lines) {
  PROCSIM_ASSERT(max_lines > 0);
}

void TraceSink::emit(const TraceEvent& event) {
  if (!m_enabled) return;
  if (m_lines.size() >= m_max_lines) {
    ++m_dropped_lines;
    return;
  }
  m_lines.push_back(format_trace_event(event));
  PROCSIM_ASSERT(m_lines.size() <= m_max_lines);
}

std::vector<std::string> TraceSink::take_lines() {
  std::vector<std::string> lines = std::move(m_lines);
  m_lines.clear();
  m_dropped_lines = 0;
  return lines;
}

}  // namespace procsim::sim
