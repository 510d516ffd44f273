/* old-api-plugin.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A native plugin built for an API version Porthole does not provide.  Its
 * register function aborts: the loader must refuse the module before it
 * looks at any symbol but the version.
 */

#include <stdlib.h>

#include "porthole-plugin.h"

PORTHOLE_PLUGIN_EXPORT const unsigned int porthole_plugin_api_version = PORTHOLE_PLUGIN_API_VERSION + 998;

PORTHOLE_PLUGIN_EXPORT int porthole_plugin_register (const PortholePluginRegistrar *registrar,
                                                     char                         **error_message);

int
porthole_plugin_register (const PortholePluginRegistrar *registrar,
                          char                         **error_message)
{
  abort ();
}
