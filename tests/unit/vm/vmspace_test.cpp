// Exec-time images: segments mapped copy-on-write from the file with a bss that starts with the
// file's last partial page, and the argument block laid out as 8.3 exec_copyout_strings() does
// for an LP64 and an ILP32 process.
#include "model/vm/vmspace.h"

#include <doctest/doctest.h>

#include "tests/unit/vm/vm_test_support.h"

using namespace procsim::vm;  // NOLINT: test brevity
using procsim::vm::test::read_string;
using procsim::vm::test::user;
using procsim::vm::test::VmWorld;

namespace {

std::uint64_t read_word(VmMap& map, VmOffset addr, std::uint32_t bytes, const Caller& caller) {
  std::array<std::uint8_t, 8> buffer{};
  REQUIRE(read_user(map, addr, procsim::base::MutableByteSpan(buffer.data(), bytes), caller).ok());
  if (bytes == 8) return procsim::base::load_le<std::uint64_t>(buffer, 0);
  return procsim::base::load_le<std::uint32_t>(buffer, 0);
}

std::string file_image() {
  std::string bytes(0x3100, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>('a' + i % 26);
  return bytes;
}

}  // namespace

TEST_CASE("a fresh exec vmspace holds one stack entry of sgrowsiz under USRSTACK") {
  VmWorld world;
  auto map = new_exec_vmspace(world.objects, kAmd64Params, user(1001, 10));
  REQUIRE(map != nullptr);
  REQUIRE(map->entries().size() == 1);
  const MapEntry& stack = map->entries()[0];
  CHECK(stack.start == 0x800000000000ULL - 0x20000);
  CHECK(stack.end == 0x800000000000ULL);
  CHECK(stack.eflags == MAP_ENTRY_GROWS_DOWN);
  CHECK(stack.protection == VM_PROT_ALL);
  CHECK(stack.avail_ssize == (512ULL << 20) - 0x20000);
  CHECK(map->vmspace().maxsaddr == 0x800000000000ULL - (512ULL << 20));
  CHECK(map->vmspace().ssize_pages == 32);
  CHECK(world.charged(1001) == 0x20000);
}

TEST_CASE("segments map text and data from the file and zero the bss after the file's bytes") {
  VmWorld world;
  auto caller = user(1001, 10);
  std::string contents = file_image();
  ObjectId file = world.file("/bin/prog", contents);
  auto map = world.new_map();
  const ImageSegment segments[] = {
      {0x400000, 0, 0x1800, 0x1800, VM_PROT_READ | VM_PROT_EXECUTE},
      {0x602800, 0x2800, 0x900, 0x2000, VM_PROT_READ | VM_PROT_WRITE},
  };
  REQUIRE(load_image(*map, file, segments, caller).ok());
  const auto& entries = map->entries();
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].start == 0x400000);
  CHECK(entries[0].end == 0x402000);
  CHECK(entries[0].eflags == (MAP_ENTRY_COW | MAP_ENTRY_NEEDS_COPY | MAP_ENTRY_NOCOREDUMP));
  CHECK(entries[1].start == 0x602000);
  CHECK(entries[1].end == 0x603000);
  CHECK(entries[1].offset == 0x2000);
  CHECK(entries[1].protection == (VM_PROT_READ | VM_PROT_WRITE));
  CHECK(entries[2].start == 0x603000);
  CHECK(entries[2].end == 0x605000);
  CHECK(entries[2].protection == (VM_PROT_READ | VM_PROT_WRITE));  // narrowed from VM_PROT_ALL
  CHECK(map->vmspace().taddr == 0x400000);
  CHECK(map->vmspace().tsize_pages == 2);
  CHECK(map->vmspace().daddr == 0x602000);
  CHECK(map->vmspace().dsize_pages == 3);

  CHECK(read_string(*map, 0x400000, 16, caller) == contents.substr(0, 16));
  CHECK(read_string(*map, 0x602800, 0x900, caller) == contents.substr(0x2800, 0x900));
  CHECK(read_string(*map, 0x603100, 0x1700, caller) == std::string(0x1700, '\0'));
  CHECK(world.charged(1001) == 0x1000 + 0x2000);  // the writable file page and the bss
}

TEST_CASE("a segment that runs past the end of the file is ENOEXEC") {
  VmWorld world;
  ObjectId file = world.file("/bin/short", std::string(100, 'x'));
  auto map = world.new_map();
  ImageSegment segment{0x400000, 0, 0x1000, 0x1000, VM_PROT_READ};
  CHECK(load_segment(*map, file, segment, user(1001, 10)).error() == VmErrno::Enoexec);
}

TEST_CASE("the LP64 argument block: ps_strings, trampoline, strings, vectors and argc") {
  VmWorld world;
  auto caller = user(1001, 10);
  auto map = new_exec_vmspace(world.objects, kAmd64Params, caller);
  REQUIRE(map != nullptr);
  ExecStrings strings;
  strings.argv = {"sh", "-c", "true"};
  strings.envv = {"HOME=/"};
  strings.sigcode = {0x0f, 0x05};
  auto layout = copyout_exec_strings(*map, kAmd64Params, strings, caller);
  REQUIRE(layout.ok());
  const InitialStack& stack = layout.value();
  CHECK(stack.ps_strings == 0x7fffffffffe0ULL);
  CHECK(stack.sigcode == 0x7fffffffffc0ULL);
  CHECK(stack.strings == 0x7fffffffefa8ULL);
  CHECK(stack.argv == 0x7fffffffef78ULL);
  CHECK(stack.envp == 0x7fffffffef98ULL);
  CHECK(stack.stack_pointer == 0x7fffffffef70ULL);
  CHECK(stack.execpath == 0);

  CHECK(read_word(*map, stack.stack_pointer, 8, caller) == 3);
  CHECK(read_word(*map, stack.argv, 8, caller) == stack.strings);
  CHECK(read_word(*map, stack.argv + 8, 8, caller) == stack.strings + 3);
  CHECK(read_word(*map, stack.argv + 16, 8, caller) == stack.strings + 6);
  CHECK(read_word(*map, stack.argv + 24, 8, caller) == 0);
  CHECK(read_word(*map, stack.envp, 8, caller) == stack.strings + 11);
  CHECK(read_word(*map, stack.envp + 8, 8, caller) == 0);
  CHECK(read_string(*map, stack.strings, 18, caller) == std::string("sh\0-c\0true\0HOME=/\0", 18));
  CHECK(read_word(*map, stack.ps_strings, 8, caller) == stack.argv);
  CHECK(read_word(*map, stack.ps_strings + 8, 4, caller) == 3);
  CHECK(read_word(*map, stack.ps_strings + 16, 8, caller) == stack.envp);
  CHECK(read_word(*map, stack.ps_strings + 24, 4, caller) == 1);
  CHECK(read_word(*map, stack.sigcode, 8, caller) == 0x050f);
}

TEST_CASE("the ILP32 argument block with an auxiliary vector and execpath") {
  VmWorld world;
  auto caller = user(1001, 10);
  AddressSpaceParams params = kI386Params;
  auto map = new_exec_vmspace(world.objects, params, caller);
  REQUIRE(map != nullptr);
  ExecStrings strings;
  strings.argv = {"sh", "-c", "true"};
  strings.envv = {"HOME=/"};
  strings.execpath = "/bin/sh";
  strings.auxv = std::vector<AuxEntry>{{6, 4096}};  // AT_PAGESZ
  auto layout = copyout_exec_strings(*map, params, strings, caller);
  REQUIRE(layout.ok());
  const InitialStack& stack = layout.value();
  CHECK(stack.ps_strings == 0xbfbffff0U);
  CHECK(stack.execpath == 0xbfbfffe8U);
  CHECK(stack.strings == 0xbfbfefd4U);
  CHECK(stack.argv == 0xbfbfef3cU);
  CHECK(stack.envp == 0xbfbfef4cU);
  CHECK(stack.auxv == 0xbfbfef54U);
  CHECK(stack.stack_pointer == 0xbfbfef38U);

  CHECK(read_word(*map, stack.stack_pointer, 4, caller) == 3);
  CHECK(read_word(*map, stack.argv + 4, 4, caller) == stack.strings + 3);
  CHECK(read_word(*map, stack.envp, 4, caller) == stack.strings + 11);
  CHECK(read_word(*map, stack.auxv, 4, caller) == 6);
  CHECK(read_word(*map, stack.auxv + 4, 4, caller) == 4096);
  CHECK(read_word(*map, stack.auxv + 8, 4, caller) == 0);
  CHECK(read_string(*map, stack.execpath, 8, caller) == std::string("/bin/sh\0", 8));
  CHECK(read_word(*map, stack.ps_strings + 4, 4, caller) == 3);
  CHECK(read_word(*map, stack.ps_strings + 8, 4, caller) == stack.envp);
}
