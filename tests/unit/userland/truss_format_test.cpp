// truss's line formats: each argument format's printing style, the tab padding to column 48,
// results and errors with 64-bit values, and the signal, exit and unknown-stop lines.
#include <doctest/doctest.h>

#include <array>

#include "model/userland/truss_format.h"

using namespace procsim::userland;
using procsim::kern::ArgFormat;

namespace {

// A target whose memory holds one string, at 0x1000.
std::string read_at_0x1000(std::uint64_t address) { return address == 0x1000 ? "/etc/passwd" : ""; }

std::string shown(ArgFormat format, std::uint64_t value) {
  return format_truss_argument(format, value, read_at_0x1000);
}

}  // namespace

TEST_CASE("numbers print in decimal as signed longs, modes in octal, flags and pointers in hex") {
  CHECK(shown(ArgFormat::Int, 3) == "3");
  CHECK(shown(ArgFormat::Fd, ~std::uint64_t{0}) == "-1");
  CHECK(shown(ArgFormat::ProcessId, static_cast<std::uint64_t>(-400)) == "-400");
  CHECK(shown(ArgFormat::Uint, 4096) == "4096");
  CHECK(shown(ArgFormat::Octal, 0644) == "0644");
  // "0%lo" gives a zero mode two digits.
  CHECK(shown(ArgFormat::Octal, 0) == "00");
  CHECK(shown(ArgFormat::Hex, 0x601) == "0x601");
  CHECK(shown(ArgFormat::Hex, 0) == "0x0");
  CHECK(shown(ArgFormat::WaitFlags, 1) == "0x1");
  CHECK(shown(ArgFormat::InBuffer, 0x7fffdf000000) == "0x7fffdf000000");
  CHECK(shown(ArgFormat::StatOut, 0) == "0x0");
  CHECK(shown(ArgFormat::StringVector, 0x10) == "0x10");
}

TEST_CASE("strings are read from the target and quoted without escaping; a failed read is empty") {
  CHECK(shown(ArgFormat::String, 0x1000) == "\"/etc/passwd\"");
  CHECK(shown(ArgFormat::String, 0x2000) == "\"\"");
  auto with_newline = [](std::uint64_t) { return std::string("a\tb\n"); };
  CHECK(format_truss_argument(ArgFormat::String, 1, with_newline) == "\"a\tb\n\"");
}

TEST_CASE("signal numbers below NSIG print by name, anything else as a number") {
  CHECK(shown(ArgFormat::SignalNumber, 1) == "SIGHUP");
  CHECK(shown(ArgFormat::SignalNumber, 15) == "SIGTERM");
  CHECK(shown(ArgFormat::SignalNumber, 31) == "SIGUSR2");
  CHECK(shown(ArgFormat::SignalNumber, 0) == "0");
  CHECK(shown(ArgFormat::SignalNumber, 32) == "32");
  CHECK(shown(ArgFormat::SignalNumber, ~std::uint64_t{0}) == "-1");
}

TEST_CASE("a call is padded with tabs to the sixth tab stop, and not at all once it is past it") {
  std::array<std::optional<std::string>, 3> write_args = {std::string("1"), std::string("0x601000"),
                                                          std::string("5")};
  // "write(1,0x601000,5)" is 19 columns: two full tab stops, so four tabs.
  CHECK(format_truss_call("write", write_args) == "write(1,0x601000,5)\t\t\t\t");
  CHECK(format_truss_call("getpid", {}) == "getpid()\t\t\t\t\t");
  CHECK(format_truss_call("exit", std::array<std::optional<std::string>, 1>{std::string("0")}) ==
        "exit(0)\t\t\t\t\t\t");
  std::array<std::optional<std::string>, 1> long_arg = {std::string(60, 'x')};
  CHECK(format_truss_call("open", long_arg) == "open(" + std::string(60, 'x') + ")");
  // 47 columns still get one tab; 48 get none.
  CHECK(format_truss_call("f", std::array<std::optional<std::string>, 1>{std::string(44, 'y')}).back() ==
        '\t');
  CHECK(format_truss_call("f", std::array<std::optional<std::string>, 1>{std::string(45, 'y')}).back() ==
        ')');
}

TEST_CASE("an unknown name prints as printf prints a null string, a missing argument by name") {
  CHECK(format_truss_call(std::nullopt, {}) == "(null)()\t\t\t\t\t");
  std::array<std::optional<std::string>, 2> args = {std::string("\"/bin/ls\""), std::nullopt};
  CHECK(format_truss_call("execve", args) == "execve(\"/bin/ls\",<missing argument>)\t\t");
}

TEST_CASE("results show the return register in decimal and hex, errors the errno and its text") {
  CHECK(format_truss_result(false, 6) == " = 6 (0x6)\n");
  CHECK(format_truss_result(false, 0) == " = 0 (0x0)\n");
  CHECK(format_truss_result(false, 0x800a00000) == " = 34370224128 (0x800a00000)\n");
  CHECK(format_truss_result(false, -1) == " = -1 (0xffffffffffffffff)\n");
  CHECK(format_truss_result(true, 2) == " ERR#2 'No such file or directory'\n");
  CHECK(format_truss_result(true, 10) == " ERR#10 'No child processes'\n");
  CHECK(format_truss_result(true, 999) == " ERR#999 'Unknown error: 999'\n");
}

TEST_CASE("signals, exits and unknown stops have lines of their own") {
  CHECK(format_truss_signal(15) == "SIGNAL 15\n");
  CHECK(format_truss_exit(0) == "process exit, rval = 0\n");
  // exit(3) arrives as the wait status 3 << 8.
  CHECK(format_truss_exit(768) == "process exit, rval = 768\n");
  CHECK(format_truss_unknown_stop(0x40) == "Process stopped because of:  64\n");
}
