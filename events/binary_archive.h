// The binary archives of every stored format (events, personal data, folded
// states): cereal's portable binary layout, little-endian.
//
// WriteArchive writes cereal's portable binary layout, little-endian (what
// PortableBinaryOutputArchive writes with its default options, byte for
// byte) straight into a string, without a stream; the same value gives the
// same bytes on every machine. ReadArchive reads that layout straight from a byte range and checks
// every length prefix against the bytes that remain, so malformed input fails with an exception
// instead of asking for gigabytes of memory.
#pragma once

#include <cereal/cereal.hpp>
#include <cstring>
#include <string>
#include <string_view>

namespace pl {

static_assert(std::endian::native == std::endian::little,
              "ReadArchive assumes a little-endian machine");

class ReadArchive : public cereal::InputArchive<ReadArchive, cereal::AllowEmptyClassElision> {
 public:
  explicit ReadArchive(std::string_view data) : InputArchive(this), data_(data) {
    uint8_t little = 0;
    LoadBytes(&little, 1);
    if (little != 1) throw cereal::Exception("not a little-endian portable binary archive");
  }
  void LoadBytes(void* out, size_t n) {
    if (n > remaining()) throw cereal::Exception("data ends before the value");
    std::memcpy(out, data_.data() + pos_, n);
    pos_ += n;
  }
  size_t remaining() const { return data_.size() - pos_; }
  // The next `n` bytes, in place (valid while the data is).
  std::string_view Take(size_t n) {
    if (n > remaining()) throw cereal::Exception("data ends before the value");
    pos_ += n;
    return data_.substr(pos_ - n, n);
  }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

class WriteArchive : public cereal::OutputArchive<WriteArchive, cereal::AllowEmptyClassElision> {
 public:
  // Appends to `out`, starting with the layout's endianness byte.
  explicit WriteArchive(std::string& out) : OutputArchive(this), out_(out) {
    out_.push_back(1);  // little-endian
  }
  void SaveBytes(const void* data, size_t n) { out_.append(static_cast<const char*>(data), n); }

 private:
  std::string& out_;
};

template <class T>
inline std::enable_if_t<std::is_arithmetic_v<T>> CEREAL_SAVE_FUNCTION_NAME(WriteArchive& ar,
                                                                           const T& t) {
  ar.SaveBytes(std::addressof(t), sizeof(t));
}
template <class T>
inline void CEREAL_SERIALIZE_FUNCTION_NAME(WriteArchive& ar, cereal::NameValuePair<T>& t) {
  ar(t.value);
}
template <class T>
inline void CEREAL_SERIALIZE_FUNCTION_NAME(WriteArchive& ar, cereal::SizeTag<T>& t) {
  ar(t.size);
}
template <class T>
inline void CEREAL_SAVE_FUNCTION_NAME(WriteArchive& ar, const cereal::BinaryData<T>& bd) {
  ar.SaveBytes(bd.data, static_cast<size_t>(bd.size));
}

template <class T>
inline std::enable_if_t<std::is_arithmetic_v<T>> CEREAL_LOAD_FUNCTION_NAME(ReadArchive& ar, T& t) {
  ar.LoadBytes(std::addressof(t), sizeof(t));
}
template <class T>
inline void CEREAL_SERIALIZE_FUNCTION_NAME(ReadArchive& ar, cereal::NameValuePair<T>& t) {
  ar(t.value);
}
template <class T>
inline void CEREAL_SERIALIZE_FUNCTION_NAME(ReadArchive& ar, cereal::SizeTag<T>& t) {
  ar(t.size);
  // Every element takes at least one byte: a longer size is a lie.
  if (static_cast<uint64_t>(t.size) > ar.remaining())
    throw cereal::Exception("a length prefix runs past the end of the data");
}
template <class T>
inline void CEREAL_LOAD_FUNCTION_NAME(ReadArchive& ar, cereal::BinaryData<T>& bd) {
  ar.LoadBytes(bd.data, static_cast<size_t>(bd.size));
}

// The next length-prefixed bytes (a string's encoding), in place.
inline std::string_view LoadSized(ReadArchive& ar) {
  cereal::size_type size = 0;
  ar(cereal::make_size_tag(size));
  return ar.Take(static_cast<size_t>(size));
}

// A string made straight from the bytes: cereal's own load zero-fills the
// string before copying into it (and assign() takes a slower path).
inline void CEREAL_LOAD_FUNCTION_NAME(ReadArchive& ar, std::string& s) {
  s = std::string(LoadSized(ar));
}

// Encodes values into canonical bytes in `out`, replacing what it held
// (and reusing its buffer).
template <class... T>
void WriteBinaryInto(std::string& out, const T&... values) {
  out.clear();
  WriteArchive ar(out);
  ar(const_cast<T&>(values)...);
}

// Encodes values into canonical bytes.
template <class... T>
std::string WriteBinary(const T&... values) {
  std::string out;
  WriteBinaryInto(out, values...);
  return out;
}

}  // namespace pl

CEREAL_REGISTER_ARCHIVE(pl::ReadArchive)
CEREAL_REGISTER_ARCHIVE(pl::WriteArchive)
