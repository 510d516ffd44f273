/* ph-cli-plugin.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "ph-cli-commands.h"

int
ph_cli_plugin (int    argc,
           char **argv)
{
  fprintf (stderr, "porthole-cli plugin: %s\n", _("not available in this build yet"));
  return 1;
}
