/* test-module.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Native modules that misbehave, for the loader tests: one built for
 * another API version (its register function must never run) and one
 * whose registration fails.
 */

#include <stdlib.h>
#include <string.h>

#include "porthole-plugin.h"

PORTHOLE_PLUGIN_EXPORT const unsigned int porthole_plugin_api_version = TEST_API_VERSION;

PORTHOLE_PLUGIN_EXPORT int porthole_plugin_register (const PortholePluginRegistrar *registrar,
                                                     char                         **error_message);

int
porthole_plugin_register (const PortholePluginRegistrar *registrar,
                          char                         **error_message)
{
#ifdef TEST_FAIL
  *error_message = strdup ("the test module refuses to start");
  return 1;
#else
  /* A module of another API version must not get this far. */
  abort ();
#endif
}
