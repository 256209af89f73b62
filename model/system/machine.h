// A simulated machine as a scenario sees it: its configuration (architecture, procfs profile,
// seed, hz, clock, securelevel), the deterministic engine that drives it, its root file system
// (created before the kernel, which runs on it), the kernel it boots, and the user and group
// database that `user` and `group` directives fill, mirrored in /etc/passwd and /etc/group.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/kern/kernel.h"
#include "model/kern/rootfs.h"
#include "model/kern/tty.h"
#include "model/machine/asm/assembler.h"
#include "model/vfs/memfs.h"
#include "model/vfs/ucred.h"
#include "model/vfs/vfs.h"
#include "sim/engine.h"

namespace procsim::system {

// The procfs era a machine reproduces (see docs/scenario-format.md, profile=).
enum class Profile : std::uint8_t { Bsd44, FreeBSD4, FreeBSD8 };

struct ProfileInfo {
  Profile profile;
  std::string_view name;           // as written in profile=
  std::string_view default_clock;  // the clock when the machine directive gives none
};

inline constexpr std::array kProfiles = {
    ProfileInfo{Profile::Bsd44, "4.4bsd", "1993-09-21 15:00:00"},
    ProfileInfo{Profile::FreeBSD4, "freebsd4", "2001-02-21 12:00:00"},
    ProfileInfo{Profile::FreeBSD8, "freebsd8", "2009-05-23 12:00:00"},
};

const ProfileInfo& profile_info(Profile profile);
vfs::Era profile_era(Profile profile);

// The architectures a machine can be booted with, in the order `machine arch=` lists them.
inline constexpr std::array<std::string_view, 4> kArchNames = {"i386", "amd64", "arm64", "riscv64"};

struct MachineConfig {
  std::string arch = "amd64";
  Profile profile = Profile::FreeBSD4;
  std::uint64_t seed = 0;
  std::uint32_t hz = 1000;
  std::int64_t epoch_seconds = 0;  // the time of day at boot, seconds since 1970 UTC
  int securelevel = -1;            // FreeBSD's default: permanently insecure mode
  bool seeded_choices = false;     // draw choice points from the seed instead of taking the first
};

struct Group {
  std::string name;
  std::uint32_t gid = 0;
};

struct User {
  std::string name;
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::vector<std::uint32_t> groups;  // supplementary groups in the order given
};

enum class AccountError : std::uint8_t { DuplicateName, DuplicateId };

// /etc/passwd and /etc/group as FreeBSD writes them: the base system's accounts (root, daemon,
// operator, bin, tty, kmem, nobody; wheel, ..., staff, nogroup, nobody), then the scenario's in
// the order added. A base entry whose name or id the scenario defines again is left out.
// passwd lines are name:*:uid:gid:gecos:home:shell; group lines name:*:gid:members, members being
// the users that list the group among their supplementary groups.
std::string format_passwd_file(const std::vector<User>& users);
std::string format_group_file(const std::vector<Group>& groups, const std::vector<User>& users);

class Machine final : public sim::World {
 public:
  explicit Machine(MachineConfig config);

  const MachineConfig& config() const { return m_config; }
  sim::Engine& engine() { return m_engine; }

  kern::Kernel& kernel() { return *m_kernel; }
  vfs::Vfs& vfs() { return *m_root.vfs; }
  // The root file system, for setting up files a scenario needs (programs, /etc).
  vfs::Memfs& root_memfs() { return *m_root.memfs; }
  // A terminal by name ("console", "ttyp0"), or null. The driver takes what programs wrote to
  // it (take_output) and types at it (push_input, push_eof).
  kern::Tty* tty(std::string_view name) { return m_kernel->tty(name); }

  // The world the engine drives is the kernel.
  bool has_runnable_work() const override { return m_kernel->has_runnable_work(); }
  void run_tick(sim::Tick now) override { m_kernel->run_tick(now); }

  // The credentials a process of this user starts with: the user's uid as real, effective and
  // saved uid, and its group list (primary group first) as the era's kernel keeps it.
  vfs::Ucred credentials_of(const User& user) const;

  // `program NAME`: the assembled image becomes the executable /usr/bin/NAME (mode 0755),
  // replacing an earlier one of that name.
  void install_program(std::string_view name, const machine::Image& image);
  // The osrel the machine's executables carry in their ABI tag note (0: no note).
  std::int32_t image_osrel() const;

  std::optional<AccountError> add_group(Group group);
  std::optional<AccountError> add_user(User user);
  const Group* find_group(std::string_view name) const;
  const Group* find_group_by_id(std::uint32_t gid) const;
  const User* find_user(std::string_view name) const;
  const User* find_user_by_id(std::uint32_t uid) const;
  // The id of an account name as /etc/passwd or /etc/group resolves it: the scenario's
  // accounts, then the base system's (bin, kmem, ...).
  std::optional<std::uint32_t> uid_of(std::string_view name) const;
  std::optional<std::uint32_t> gid_of(std::string_view name) const;

 private:
  void write_account_files();

  MachineConfig m_config;
  sim::Engine m_engine;
  kern::RootFileSystem m_root;  // before the kernel: it outlives every process
  std::unique_ptr<kern::Kernel> m_kernel;
  std::vector<Group> m_groups;  // in the order added, as /etc/group lists them
  std::vector<User> m_users;    // in the order added, as /etc/passwd lists them
};

}  // namespace procsim::system
