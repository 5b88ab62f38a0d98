// homecad: the homeca appliance daemon.
#include <iostream>

#include "webui/daemon/homecad_app.h"

POCO_SERVER_MAIN(homeca::webui::HomecadApp)
