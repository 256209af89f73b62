// The trace line format is an interface: golden transcripts contain it byte for byte, so every
// quoting rule is pinned with an exact expected line.
#include "sim/trace.h"

#include <cstdint>
#include <limits>
#include <string>

#include <doctest/doctest.h>

using procsim::sim::format_trace_event;
using procsim::sim::Tick;
using procsim::sim::TraceEvent;
using procsim::sim::TraceField;
using procsim::sim::TraceKind;
using procsim::sim::TraceSink;

namespace {

constexpr TraceKind kSignal{"signal"};

TraceEvent string_event(std::string value) {
  return TraceEvent{Tick(1), TraceKind{"exec"}, {TraceField{"comm", std::move(value)}}};
}

}  // namespace

TEST_CASE("a trace event prints as [tick T] kind key=value ...") {
  TraceEvent event{Tick(1203), kSignal,
                   {TraceField{"pid", std::int64_t{401}}, TraceField{"sig", std::string("SIGSTOP")}}};
  CHECK(format_trace_event(event) == "[tick 1203] signal pid=401 sig=SIGSTOP");
}

TEST_CASE("an event without fields prints only the tick and the kind") {
  CHECK(format_trace_event(TraceEvent{Tick(0), TraceKind{"boot"}, {}}) == "[tick 0] boot");
}

TEST_CASE("numbers print in decimal, signed ones with a minus sign") {
  TraceEvent event{Tick(std::numeric_limits<std::uint64_t>::max()), TraceKind{"exit"},
                   {TraceField{"status", std::int64_t{-1}},
                    TraceField{"big", std::numeric_limits<std::uint64_t>::max()},
                    TraceField{"low", std::numeric_limits<std::int64_t>::min()}}};
  CHECK(format_trace_event(event) ==
        "[tick 18446744073709551615] exit status=-1 big=18446744073709551615 low=-9223372036854775808");
}

TEST_CASE("strings are bare only when they hold printable ASCII without space, quote or backslash") {
  CHECK(format_trace_event(string_event("sh")) == "[tick 1] exec comm=sh");
  CHECK(format_trace_event(string_event("/usr/bin/a=b,c")) == "[tick 1] exec comm=/usr/bin/a=b,c");
  CHECK(format_trace_event(string_event("my prog")) == "[tick 1] exec comm=\"my prog\"");
  CHECK(format_trace_event(string_event("")) == "[tick 1] exec comm=\"\"");
  CHECK(format_trace_event(string_event("say\"hi\"")) == "[tick 1] exec comm=\"say\\\"hi\\\"\"");
  CHECK(format_trace_event(string_event("back\\slash")) == "[tick 1] exec comm=\"back\\\\slash\"");
  CHECK(format_trace_event(string_event("line\n")) == "[tick 1] exec comm=\"line\\n\"");
  CHECK(format_trace_event(string_event(std::string("\x01\xff", 2))) == "[tick 1] exec comm=\"\\x01\\xff\"");
}

TEST_CASE("a sink keeps nothing while disabled, which is its initial state") {
  TraceSink sink;
  CHECK_FALSE(sink.enabled());
  sink.emit(TraceEvent{Tick(1), kSignal, {}});
  CHECK(sink.take_lines().empty());
}

TEST_CASE("an enabled sink keeps formatted lines until they are taken") {
  TraceSink sink;
  sink.set_enabled(true);
  sink.emit(TraceEvent{Tick(1), kSignal, {TraceField{"sig", std::string("SIGINT")}}});
  sink.emit(TraceEvent{Tick(2), TraceKind{"wakeup"}, {TraceField{"tid", std::uint64_t{100001}}}});
  CHECK(sink.take_lines() ==
        std::vector<std::string>{"[tick 1] signal sig=SIGINT", "[tick 2] wakeup tid=100001"});
  CHECK(sink.take_lines().empty());
  sink.set_enabled(false);
  sink.emit(TraceEvent{Tick(3), kSignal, {}});
  CHECK(sink.take_lines().empty());
}

TEST_CASE("a full sink counts the lines it drops") {
  TraceSink sink(2);
  sink.set_enabled(true);
  for (std::uint64_t tick = 0; tick < 5; ++tick) sink.emit(TraceEvent{Tick(tick), kSignal, {}});
  CHECK(sink.dropped_lines() == 3);
  CHECK(sink.take_lines() == std::vector<std::string>{"[tick 0] signal", "[tick 1] signal"});
  CHECK(sink.dropped_lines() == 0);
}
