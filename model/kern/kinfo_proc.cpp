// The kern.proc record codec; see kinfo_proc.h. One field list drives both directions, so
// the encoder and decoder cannot disagree about an offset.
#include "model/kern/kinfo_proc.h"

#include <algorithm>
#include <cstring>

#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

// Widths of the string fields, terminating NUL included.
constexpr std::size_t kCommBytes = 20;
constexpr std::size_t kWmesgBytes = 9;
constexpr std::size_t kLoginBytes = 17;
constexpr std::size_t kEmulBytes = 16;
constexpr std::size_t kTtyBytes = 16;

class Writer {
 public:
  explicit Writer(base::MutableByteSpan out) : m_out(out) {}
  template <typename T>
  void number(T& value) {
    base::store_le<T>(m_out, m_at, value);
    m_at += sizeof(T);
  }
  void text(std::string& value, std::size_t width) {
    PROCSIM_ASSERT(value.size() < width);
    std::memcpy(m_out.data() + m_at, value.data(), value.size());
    m_at += width;
  }
  bool ok() const { return true; }
  std::size_t used() const { return m_at; }

 private:
  base::MutableByteSpan m_out;
  std::size_t m_at = 0;
};

class Reader {
 public:
  explicit Reader(base::ByteSpan in) : m_in(in) {}
  template <typename T>
  void number(T& value) {
    value = base::load_le<T>(m_in, m_at);
    m_at += sizeof(T);
  }
  void text(std::string& value, std::size_t width) {
    auto field = m_in.subspan(m_at, width);
    auto nul = std::find(field.begin(), field.end(), std::uint8_t{0});
    if (nul == field.end()) m_ok = false;
    value.assign(field.begin(), nul);
    m_at += width;
  }
  bool ok() const { return m_ok; }
  std::size_t used() const { return m_at; }

 private:
  base::ByteSpan m_in;
  std::size_t m_at = 0;
  bool m_ok = true;
};

template <typename Io>
void visit(KinfoProc& k, Io& io) {
  for (std::int32_t* field : {&k.pid, &k.ppid, &k.pgid, &k.sid, &k.tpgid, &k.tsid, &k.jobc, &k.tid}) {
    io.number(*field);
  }
  for (std::uint32_t* field : {&k.uid, &k.ruid, &k.svuid, &k.rgid, &k.svgid, &k.flag, &k.kiflag}) {
    io.number(*field);
  }
  auto stat = static_cast<std::int32_t>(k.stat);
  io.number(stat);
  k.stat = static_cast<KinfoStat>(stat);
  for (std::int32_t* field : {&k.nice, &k.pri_level, &k.pri_user}) io.number(*field);
  for (std::uint32_t* field :
       {&k.xstat, &k.numthreads, &k.sleep_interruptible, &k.siglist, &k.sigmask, &k.sigignore, &k.sigcatch}) {
    io.number(*field);
  }
  io.number(k.start_seconds);
  io.number(k.start_usec);
  for (std::uint64_t* field : {&k.runtime_usec, &k.user_usec, &k.system_usec, &k.wchan}) io.number(*field);
  io.text(k.comm, kCommBytes);
  io.text(k.wmesg, kWmesgBytes);
  io.text(k.login, kLoginBytes);
  io.text(k.emul, kEmulBytes);
  io.text(k.tty, kTtyBytes);
  PROCSIM_ASSERT(io.used() <= kKinfoProcBytes);
}

}  // namespace

base::Bytes encode_kinfo_proc(const KinfoProc& info) {
  base::Bytes bytes(kKinfoProcBytes, 0);
  KinfoProc copy = info;
  Writer writer(bytes);
  visit(copy, writer);
  PROCSIM_ASSERT(copy == info);
  return bytes;
}

std::optional<KinfoProc> decode_kinfo_proc(base::ByteSpan bytes) {
  if (bytes.size() != kKinfoProcBytes) return std::nullopt;
  KinfoProc info;
  Reader reader(bytes);
  visit(info, reader);
  if (!reader.ok()) return std::nullopt;
  return info;
}

}  // namespace procsim::kern
