#include "events/personal.h"

#include <cereal/archives/portable_binary.hpp>
#include <cereal/types/string.hpp>
#include <sstream>

namespace pl {

std::string EncodePersonal(const PersonalData& p) {
  std::ostringstream os;
  {
    cereal::PortableBinaryOutputArchive ar(os);
    ar(const_cast<PersonalData&>(p));
  }
  return os.str();
}

Result<PersonalData> DecodePersonal(std::string_view bytes) {
  try {
    std::istringstream is{std::string(bytes)};
    cereal::PortableBinaryInputArchive ar(is);
    PersonalData p;
    ar(p);
    return p;
  } catch (const std::exception& e) {
    return Status("corrupt_personal_data", e.what());
  }
}

}  // namespace pl
