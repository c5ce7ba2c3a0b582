#pragma once
// The rosters communities use in practice, as data: 六方会议, 三方联动, 五位一体, 一圆六方.
// A community starts from one (Directory::applyPreset) and edits it; nothing else in the code
// knows these parties. Codes are stable ASCII handles (they appear in URLs and the API).
#include <string>
#include <vector>

namespace liufang::workflow {

struct PresetParty {
  std::string code;
  std::string name;       // 社区党委
  std::string shortName;  // 党委
  std::string colour;     // #rrggbb, readable under white text
  bool convening = false;  // listed first: a community's convening party defaults to the first
};

struct RosterPreset {
  std::string code;     // liufang, sanfang, wuwei, yiyuan
  std::string name;     // 六方会议 (data: the mechanism's own name, shown as is)
  std::string summary;  // English msgid: what the preset is
  std::vector<PresetParty> parties;
};

// Every preset, in the order pages list them.
const std::vector<RosterPreset>& rosterPresets();
// The preset with this code, or nullptr.
const RosterPreset* findRosterPreset(const std::string& code);

}  // namespace liufang::workflow
