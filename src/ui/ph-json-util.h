/* ph-json-util.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The node at a dotted path ("status.nodeInfo.kubeletVersion"), or NULL. */
JsonNode *ph_json_lookup         (JsonNode    *root,
                                  const char  *path);
/* The value at @path as a person reads it: strings as they are, numbers
 * and booleans printed, arrays of scalars joined by ", ", else "". */
char     *ph_json_lookup_display (JsonNode    *root,
                                  const char  *path);
/* A YAML document (block style, like kubectl -o yaml) of @node. */
char     *ph_json_to_yaml        (JsonNode    *node,
                                  GError     **error);

G_END_DECLS
