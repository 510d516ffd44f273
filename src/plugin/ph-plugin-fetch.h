/* ph-plugin-fetch.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char         *ph_plugin_location_to_uri (const char    *location,
                                         GError       **error);
/* @uri without what may be a secret (user information, a query), for
 * messages and records written to disk. */
char         *ph_plugin_uri_redact      (const char    *uri);
GInputStream *ph_plugin_fetch_open      (const char    *uri,
                                         goffset       *content_length,
                                         GCancellable  *cancellable,
                                         GError       **error);
GBytes       *ph_plugin_fetch_bytes     (const char    *uri,
                                         gsize          max_size,
                                         GCancellable  *cancellable,
                                         GError       **error);

G_END_DECLS
