// hexdump -C output. The expected texts for ordinary inputs were produced once with a host
// hexdump -C (the same canonical format); the short-repeat cases follow FreeBSD's display.c,
// where host implementations differ.
#include "model/userland/hexdump_format.h"

#include <doctest/doctest.h>

#include <string>

using namespace procsim::userland;

TEST_CASE("an empty input prints nothing at all") { CHECK(hexdump_canonical("") == ""); }

TEST_CASE("a short input pads the hex columns so the ASCII column stays aligned") {
  CHECK(hexdump_canonical("hello\n") ==
        "00000000  68 65 6c 6c 6f 0a                                 |hello.|\n"
        "00000006\n");
}

TEST_CASE("a full line has two groups of eight and the final offset follows it") {
  CHECK(hexdump_canonical("0123456789abcdef") ==
        "00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|\n"
        "00000010\n");
  CHECK(hexdump_canonical("0123456789abcdefg") ==
        "00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|\n"
        "00000010  67                                                |g|\n"
        "00000011\n");
}

TEST_CASE("bytes outside printable ASCII show as dots") {
  std::string bytes;
  for (int value = 0; value < 40; ++value) bytes.push_back(static_cast<char>(value));
  CHECK(hexdump_canonical(bytes) ==
        "00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|\n"
        "00000010  10 11 12 13 14 15 16 17  18 19 1a 1b 1c 1d 1e 1f  |................|\n"
        "00000020  20 21 22 23 24 25 26 27                           | !\"#$%&'|\n"
        "00000028\n");
  CHECK(hexdump_canonical("~\x7f\x80\xff") ==
        "00000000  7e 7f 80 ff                                       |~...|\n"
        "00000004\n");
}

TEST_CASE("a run of repeated lines collapses to one star") {
  CHECK(hexdump_canonical(std::string(32, '\0')) ==
        "00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n"
        "*\n"
        "00000020\n");
  std::string text = std::string(16, 'A') + std::string(48, 'B') + "C";
  CHECK(hexdump_canonical(text) ==
        "00000000  41 41 41 41 41 41 41 41  41 41 41 41 41 41 41 41  |AAAAAAAAAAAAAAAA|\n"
        "00000010  42 42 42 42 42 42 42 42  42 42 42 42 42 42 42 42  |BBBBBBBBBBBBBBBB|\n"
        "*\n"
        "00000040  43                                                |C|\n"
        "00000041\n");
}

TEST_CASE("a short last line equal to the start of the line above is swallowed, as in FreeBSD") {
  // FreeBSD's get() compares only the bytes read; the final offset is then the start of the
  // swallowed line (0x10), not the input length (0x14).
  CHECK(hexdump_canonical("abcdefghijklmnopabcd") ==
        "00000000  61 62 63 64 65 66 67 68  69 6a 6b 6c 6d 6e 6f 70  |abcdefghijklmnop|\n"
        "*\n"
        "00000010\n");
  // Inside a run of repeats the star is not printed twice.
  CHECK(hexdump_canonical("abcdefghijklmnopabcdefghijklmnopabcd") ==
        "00000000  61 62 63 64 65 66 67 68  69 6a 6b 6c 6d 6e 6f 70  |abcdefghijklmnop|\n"
        "*\n"
        "00000020\n");
}

TEST_CASE("feeding the input in pieces gives the same text as feeding it at once") {
  std::string text = std::string(16, 'x') + std::string(16, 'x') + "tail bytes here!" + "end";
  std::string whole = hexdump_canonical(text);
  CanonicalHexdump dump;
  std::string pieces;
  for (char c : text) pieces += dump.feed(std::string_view(&c, 1));
  pieces += dump.finish();
  CHECK(pieces == whole);
  // Lines appear as soon as they are complete.
  CanonicalHexdump eager;
  CHECK(eager.feed("0123456789abcdef0") ==
        "00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|\n");
}
