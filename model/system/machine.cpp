// The machine a scenario boots; see machine.h.
#include "model/system/machine.h"

#include <algorithm>

#include <fmt/format.h>

#include "model/machine/arch.h"
#include "model/procfs/procfs_vfs.h"
#include "model/system/images.h"
#include "sim/base/assert.h"

namespace procsim::system {

namespace {

sim::EngineConfig engine_config(const MachineConfig& config) {
  sim::EngineConfig engine;
  engine.seed = config.seed;
  engine.hz = config.hz;
  engine.epoch_seconds = config.epoch_seconds;
  engine.chooser_mode = config.seeded_choices ? sim::ChooserMode::Seeded : sim::ChooserMode::First;
  return engine;
}

kern::KernelConfig kernel_config(const MachineConfig& config) {
  kern::KernelConfig kernel;
  kernel.era = profile_era(config.profile);
  kernel.securelevel = config.securelevel;
  kernel.policy.securelevel = config.securelevel;
  kernel.init_sysent = config.arch == "i386" ? "FreeBSD ELF32" : "FreeBSD ELF64";
  // osrel exists from the 2009 era on; older kernels have no ABI note to read it from.
  kernel.init_osrel = config.profile == Profile::FreeBSD8 ? 803000 : 0;
  kernel.check_invariants = true;
  std::optional<machine::Arch> arch = machine::arch_from_name(config.arch);
  PROCSIM_ASSERT(arch.has_value());
  kernel.arch = *arch;
  kernel.address_space = kern::address_space_for(machine::arch_info(*arch).native_abi);
  switch (*arch) {
    case machine::Arch::I386: kernel.vm_size_limits = kern::kVmSizeLimitsI386; break;
    case machine::Arch::Amd64: kernel.vm_size_limits = kern::kVmSizeLimitsAmd64; break;
    case machine::Arch::Arm64:
    case machine::Arch::Riscv64: kernel.vm_size_limits = kern::kVmSizeLimitsLp64Later; break;
  }
  return kernel;
}

struct BaseUser {
  std::string_view name;
  std::uint32_t uid;
  std::uint32_t gid;
  std::string_view gecos;
  std::string_view home;
  std::string_view shell;
};

// The base system's accounts (FreeBSD's /etc/master.passwd and /etc/group), in file order.
constexpr std::array kBaseUsers = {
    BaseUser{"root", 0, 0, "Charlie &", "/root", "/bin/csh"},
    BaseUser{"daemon", 1, 1, "Owner of many system processes", "/root", "/usr/sbin/nologin"},
    BaseUser{"operator", 2, 5, "System &", "/", "/usr/sbin/nologin"},
    BaseUser{"bin", 3, 7, "Binaries Commands and Source", "/", "/usr/sbin/nologin"},
    BaseUser{"tty", 4, 65533, "Tty Sandbox", "/", "/usr/sbin/nologin"},
    BaseUser{"kmem", 5, 65533, "KMem Sandbox", "/", "/usr/sbin/nologin"},
    BaseUser{"nobody", 65534, 65534, "Unprivileged user", "/nonexistent", "/usr/sbin/nologin"},
};

struct BaseGroup {
  std::string_view name;
  std::uint32_t gid;
  std::string_view members;
};

constexpr std::array kBaseGroups = {
    BaseGroup{"wheel", 0, "root"},   BaseGroup{"daemon", 1, ""},     BaseGroup{"kmem", 2, ""},
    BaseGroup{"sys", 3, ""},         BaseGroup{"tty", 4, ""},        BaseGroup{"operator", 5, "root"},
    BaseGroup{"mail", 6, ""},        BaseGroup{"bin", 7, ""},        BaseGroup{"staff", 20, ""},
    BaseGroup{"nogroup", 65533, ""}, BaseGroup{"nobody", 65534, ""},
};

vfs::Timespec boot_time(const MachineConfig& config) { return vfs::Timespec{config.epoch_seconds, 0}; }

base::Bytes bytes_of(const std::string& text) { return base::Bytes(text.begin(), text.end()); }

}  // namespace

std::string format_passwd_file(const std::vector<User>& users) {
  std::string text;
  for (const BaseUser& base : kBaseUsers) {
    bool redefined = std::any_of(users.begin(), users.end(),
                                 [&](const User& u) { return u.name == base.name || u.uid == base.uid; });
    if (redefined) continue;
    text += fmt::format("{}:*:{}:{}:{}:{}:{}\n", base.name, base.uid, base.gid, base.gecos, base.home,
                        base.shell);
  }
  for (const User& user : users) {
    text += fmt::format("{}:*:{}:{}::/home/{}:/bin/sh\n", user.name, user.uid, user.gid, user.name);
  }
  return text;
}

std::string format_group_file(const std::vector<Group>& groups, const std::vector<User>& users) {
  auto members_of = [&](std::uint32_t gid, std::string members) {
    for (const User& user : users) {
      if (std::find(user.groups.begin(), user.groups.end(), gid) == user.groups.end()) continue;
      members += members.empty() ? user.name : "," + user.name;
    }
    return members;
  };
  std::string text;
  for (const BaseGroup& base : kBaseGroups) {
    bool redefined = std::any_of(groups.begin(), groups.end(),
                                 [&](const Group& g) { return g.name == base.name || g.gid == base.gid; });
    if (redefined) continue;
    text += fmt::format("{}:*:{}:{}\n", base.name, base.gid, members_of(base.gid, std::string(base.members)));
  }
  for (const Group& group : groups) {
    text += fmt::format("{}:*:{}:{}\n", group.name, group.gid, members_of(group.gid, ""));
  }
  return text;
}

vfs::Era profile_era(Profile profile) {
  switch (profile) {
    case Profile::Bsd44: return vfs::Era::Bsd44;
    case Profile::FreeBSD4: return vfs::Era::FreeBSD4;
    case Profile::FreeBSD8: return vfs::Era::FreeBSD8;
  }
  PROCSIM_UNREACHABLE();
}

const ProfileInfo& profile_info(Profile profile) {
  for (const auto& info : kProfiles) {
    if (info.profile == profile) return info;
  }
  PROCSIM_UNREACHABLE();
}

Machine::Machine(MachineConfig config)
    : m_config(std::move(config)),
      m_engine(engine_config(m_config)),
      m_root(kern::make_root_filesystem(profile_era(m_config.profile), boot_time(m_config),
                                        kernel_config(m_config).params.maxfiles)),
      m_kernel(std::make_unique<kern::Kernel>(m_engine, kernel_config(m_config), *m_root.vfs)) {
  PROCSIM_ASSERT(m_config.hz > 0);
  vfs::MemfsNodeSpec spec;
  spec.at(boot_time(m_config));
  spec.mode = 0644;
  PROCSIM_ASSERT(m_root.memfs->make_file("/etc/passwd", {}, spec).ok());
  PROCSIM_ASSERT(m_root.memfs->make_file("/etc/group", {}, spec).ok());
  write_account_files();
  // /etc/fstab's "proc /proc procfs rw 0 0": procfs of the machine's era, there from boot on.
  PROCSIM_ASSERT(procfs::mount_procfs(*m_root.vfs, *m_kernel, profile_era(m_config.profile)).ok());
  machine::Abi native = machine::arch_info(m_kernel->config().arch).native_abi;
  install_host_images(*m_kernel, *m_root.memfs, native, image_osrel(), boot_time(m_config));
  install_spin(*m_root.memfs, native, image_osrel(), boot_time(m_config));
  m_kernel->boot();
  PROCSIM_ASSERT(m_kernel->booted());
}

// Binaries of the 2009 era carry the ABI tag note of 8.3 (osrel 803000); older eras' have none.
std::int32_t Machine::image_osrel() const { return m_config.profile == Profile::FreeBSD8 ? 803000 : 0; }

void Machine::install_program(std::string_view name, const machine::Image& image) {
  std::string path = "/usr/bin/" + std::string(name);
  base::Bytes file = program_image_file(image, image_osrel());
  if (std::optional<std::uint64_t> ino = m_root.memfs->find(path)) {
    PROCSIM_ASSERT(m_root.memfs->set_contents(*ino, std::move(file)).ok());
    return;
  }
  vfs::MemfsNodeSpec spec;
  spec.at(m_kernel->time_of_day());
  spec.mode = 0755;
  PROCSIM_ASSERT(m_root.memfs->make_file(path, std::move(file), spec).ok());
}

// Regenerated whole after every change, as pwd_mkdb rewrites the files.
void Machine::write_account_files() {
  std::optional<std::uint64_t> passwd = m_root.memfs->find("/etc/passwd");
  std::optional<std::uint64_t> group = m_root.memfs->find("/etc/group");
  PROCSIM_ASSERT(passwd.has_value() && group.has_value());
  PROCSIM_ASSERT(m_root.memfs->set_contents(*passwd, bytes_of(format_passwd_file(m_users))).ok());
  PROCSIM_ASSERT(m_root.memfs->set_contents(*group, bytes_of(format_group_file(m_groups, m_users))).ok());
}

vfs::Ucred Machine::credentials_of(const User& user) const {
  std::vector<vfs::Gid> groups;
  groups.emplace_back(user.gid);
  for (std::uint32_t gid : user.groups) groups.emplace_back(gid);
  return vfs::make_ucred(vfs::Uid(user.uid), groups, vfs::group_rules(profile_era(m_config.profile)));
}

std::optional<AccountError> Machine::add_group(Group group) {
  for (const auto& existing : m_groups) {
    if (existing.name == group.name) return AccountError::DuplicateName;
    if (existing.gid == group.gid) return AccountError::DuplicateId;
  }
  m_groups.push_back(std::move(group));
  write_account_files();
  return std::nullopt;
}

std::optional<AccountError> Machine::add_user(User user) {
  for (const auto& existing : m_users) {
    if (existing.name == user.name) return AccountError::DuplicateName;
    if (existing.uid == user.uid) return AccountError::DuplicateId;
  }
  m_users.push_back(std::move(user));
  write_account_files();
  return std::nullopt;
}

const Group* Machine::find_group(std::string_view name) const {
  auto it = std::find_if(m_groups.begin(), m_groups.end(), [&](const Group& g) { return g.name == name; });
  return it == m_groups.end() ? nullptr : &*it;
}

const Group* Machine::find_group_by_id(std::uint32_t gid) const {
  auto it = std::find_if(m_groups.begin(), m_groups.end(), [&](const Group& g) { return g.gid == gid; });
  return it == m_groups.end() ? nullptr : &*it;
}

const User* Machine::find_user(std::string_view name) const {
  auto it = std::find_if(m_users.begin(), m_users.end(), [&](const User& u) { return u.name == name; });
  return it == m_users.end() ? nullptr : &*it;
}

std::optional<std::uint32_t> Machine::uid_of(std::string_view name) const {
  if (const User* user = find_user(name)) return user->uid;
  for (const BaseUser& base : kBaseUsers)
    if (base.name == name) return base.uid;
  return std::nullopt;
}

std::optional<std::uint32_t> Machine::gid_of(std::string_view name) const {
  if (const Group* group = find_group(name)) return group->gid;
  for (const BaseGroup& base : kBaseGroups)
    if (base.name == name) return base.gid;
  return std::nullopt;
}

const User* Machine::find_user_by_id(std::uint32_t uid) const {
  auto it = std::find_if(m_users.begin(), m_users.end(), [&](const User& u) { return u.uid == uid; });
  return it == m_users.end() ? nullptr : &*it;
}

}  // namespace procsim::system
