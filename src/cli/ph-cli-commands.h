/* ph-cli-commands.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Each subcommand gets argv starting at its own name (argv[0] == "get")
 * and returns the process exit status. */
int ph_cli_contexts (int argc, char **argv);
int ph_cli_get      (int argc, char **argv);
int ph_cli_watch    (int argc, char **argv);
int ph_cli_plugin   (int argc, char **argv);
int ph_cli_sim      (int argc, char **argv);

G_END_DECLS
