#include "events/personal.h"

#include <cereal/types/string.hpp>

#include "events/binary_archive.h"

namespace pl {

std::string EncodePersonal(const PersonalData& p) { return WriteBinary(p); }

Result<PersonalData> DecodePersonal(std::string_view bytes) {
  try {
    ReadArchive ar(bytes);
    PersonalData p;
    ar(p);
    return p;
  } catch (const std::exception& e) {
    return Status("corrupt_personal_data", e.what());
  }
}

}  // namespace pl
