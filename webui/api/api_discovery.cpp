// GET /api/v1/discovery: what mDNS shows of the LAN, as the Devices page does
// (devices waiting to pair, the inventory), and whether discovery works.
// Every string came from the LAN: bounded and sanitized by mdns/, escaped
// here by the JSON writer, still to be escaped by whoever renders it.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "ca/x509/certificate.h"
#include "webui/api/api_request.h"

namespace homeca::webui {

void ApiDiscovery(ApiRequest& r) {
  using Poco::JSON::Array;
  using Poco::JSON::Object;
  DiscoverySource& discovery = r.web.discovery();
  Object::Ptr body = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  body->set("enabled", discovery.enabled());
  body->set("status", discovery.StatusText());
  Array::Ptr waiting = new Array;
  Array::Ptr inventory = new Array;
  if (discovery.enabled()) {
    for (const WaitingDevice& w : discovery.WaitingToPair()) {
      Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("device_id", w.device_id);
      o->set("model", w.model);
      o->set("address", w.address);
      o->set("last_seen", ca::FormatTimeIso(w.last_seen));
      // The KDF to arm it with (POST /api/v1/pairings/device, "kdf").
      o->set("kdf", w.kdf.empty() ? std::string("scrypt") : w.kdf);
      waiting->add(o);
    }
    for (const NetworkService& s : discovery.Inventory()) {
      Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("name", s.instance_name);
      o->set("type", s.service_type);
      o->set("host", s.host);
      o->set("address", s.address);
      o->set("port", s.port);
      inventory->add(o);
    }
  }
  body->set("waiting", waiting);
  body->set("inventory", inventory);
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(body, out);
  r.Ok(200, out.str());
}

}  // namespace homeca::webui
