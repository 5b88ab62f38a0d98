#include "webui/admin/first_run_checklist.h"

namespace homeca::webui {
namespace {

pages::ChecklistItem Trust() {
  return {"trust",
          "checking",
          "This browser trusts the root",
          "Checked by this page: the browser fetches a file from homecad over HTTPS on its own, "
          "which works only where the root is installed (clicking past a warning does not "
          "count).",
          "/trust",
          "Install the root"};
}

pages::ChecklistItem Address(const ChecklistFacts& f) {
  pages::ChecklistItem item{"address", "done", "The admin address resolves", "", "", ""};
  if (f.request_host == f.admin_host) {
    item.detail = "This page was loaded at " + f.admin_host +
                  ", the name in homecad's certificate that every link it shows uses.";
    return item;
  }
  item.state = "todo";
  item.detail = "This page was loaded at " +
                (f.request_host.empty() ? "an unknown address" : f.request_host) +
                ", but homecad's links use " + f.admin_host + ".";
  if (f.admin_host.ends_with(".local")) {
    item.detail += " Phones and computers on this network resolve it with no setup; bookmark it.";
  } else if (f.admin_host.ends_with(".home.arpa")) {
    item.detail += " It resolves once the router sends home.arpa names to this box.";
  }
  item.link = f.admin_base + "/";
  item.link_text = "Open " + f.admin_host;
  return item;
}

pages::ChecklistItem Device(const ChecklistFacts& f) {
  if (f.device_count > 0) {
    return {"device",
            "done",
            "A first device is paired",
            std::to_string(f.device_count) +
                (f.device_count == 1 ? " device has" : " devices have") + " a certificate.",
            "/devices",
            "Devices"};
  }
  return {"device",
          "todo",
          "A first device is paired",
          "Pair the NAS, the printer or any device with a web page: it gets a certificate for "
          "its name and renews it by itself.",
          "/devices/add",
          "Add a device"};
}

pages::ChecklistItem Names(const ChecklistFacts& f) {
  pages::ChecklistItem item{"names", "todo",           "Its names resolve",
                            "",      "/devices#names", "How names reach your devices"};
  const bool exporting = !f.export_dir.empty() && f.export_error.empty();
  if (f.device_count == 0) {
    item.detail = "Once a device is paired, homecad publishes where it is.";
    return item;
  }
  if (!f.mdns_on && !exporting) {
    item.detail = f.export_error.empty()
                      ? "mDNS and the name export are both off: nothing tells phones and "
                        "computers where the devices are."
                      : "mDNS is off and the name export failed: " + f.export_error;
    return item;
  }
  item.state = "done";
  if (f.mdns_on && exporting) {
    item.detail =
        "homecad announces each device's .local name over mDNS and writes the "
        "home.arpa names for the router (" +
        f.export_dir + ").";
  } else if (f.mdns_on) {
    item.detail = "homecad announces each device's .local name over mDNS.";
  } else {
    item.detail = "homecad writes the home.arpa names for the router (" + f.export_dir +
                  "); point the router at them for every device to resolve.";
  }
  return item;
}

}  // namespace

std::vector<pages::ChecklistItem> FirstRunChecklist(const ChecklistFacts& facts) {
  return {Trust(), Address(facts), Device(facts), Names(facts)};
}

bool ChecklistDoneOnServer(const std::vector<pages::ChecklistItem>& items) {
  for (const pages::ChecklistItem& item : items) {
    if (item.state == "todo") return false;
  }
  return true;
}

}  // namespace homeca::webui
