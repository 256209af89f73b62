#include "sim/base/bytes.h"

#include <doctest/doctest.h>

using namespace procsim::base;

TEST_CASE("little- and big-endian stores place bytes explicitly") {
  Bytes buffer(8, 0);
  store_le<std::uint32_t>(buffer, 0, 0x11223344u);
  CHECK(buffer[0] == 0x44);
  CHECK(buffer[3] == 0x11);
  store_be<std::uint32_t>(buffer, 4, 0x11223344u);
  CHECK(buffer[4] == 0x11);
  CHECK(buffer[7] == 0x44);
  CHECK(load_le<std::uint32_t>(buffer, 0) == 0x11223344u);
  CHECK(load_be<std::uint32_t>(buffer, 4) == 0x11223344u);
  CHECK(load_le<std::int16_t>(Bytes{0xff, 0xff}, 0) == -1);
}

TEST_CASE("ByteWriter appends little-endian fields") {
  ByteWriter writer;
  writer.put_le<std::uint16_t>(0x0102);
  writer.put_zeros(2);
  writer.put_le<std::uint64_t>(1);
  CHECK(writer.size() == 12);
  CHECK(writer.bytes()[0] == 0x02);
  CHECK(writer.bytes()[4] == 0x01);
}
