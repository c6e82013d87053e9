// Personal data of an applicant (UU 27/2022). It never reaches the log in
// clear: it is encoded here and sealed with the person's own key by a
// PersonalVault; only SealedPersonal (events/event_types.h) is stored.
#pragma once

#include <string>
#include <string_view>

#include "events/result.h"

namespace pl {

struct PersonalData {
  std::string nik;  // 16-digit national identity number (KTP)
  std::string name;
  std::string address;  // home address, usually the premises of the business
  std::string phone;
  std::string kk_number;  // family card number
  std::string npwp;       // tax number, when held
  bool operator==(const PersonalData&) const = default;
  template <class A>
  void serialize(A& ar) {
    ar(nik, name, address, phone, kk_number, npwp);
  }
};

std::string EncodePersonal(const PersonalData& p);
Result<PersonalData> DecodePersonal(std::string_view bytes);

}  // namespace pl
