/* ph-plugin-fetch.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

#include "ph-plugin-error.h"
#include "ph-plugin-fetch.h"

/* Catalogs and archives come from https://, file:// or plain paths, so an
 * air-gapped machine can install from a USB stick.  http:// is accepted
 * too (local mirrors, tests); the archive checksum is what protects the
 * content either way, and https keeps libsoup's default certificate
 * verification. */

char *
ph_plugin_location_to_uri (const char  *location,
                           GError     **error)
{
  g_autofree char *scheme = NULL;

  g_return_val_if_fail (location != NULL, NULL);

  if (*location == '\0')
    {
      g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_CATALOG_UNREACHABLE,
                   "Empty catalog location");
      return NULL;
    }

  scheme = g_uri_parse_scheme (location);
  if (scheme == NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (location);
      return g_file_get_uri (file);
    }

  if (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0 ||
      g_ascii_strcasecmp (scheme, "file") == 0)
    return g_strdup (location);

  g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_CATALOG_UNREACHABLE,
               "Unsupported URL scheme “%s” in “%s” (use https://, file:// or a path)",
               scheme, location);
  return NULL;
}

char *
ph_plugin_uri_redact (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;

  g_return_val_if_fail (uri != NULL, NULL);

  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  if (parsed == NULL)
    return g_strdup (uri);
  if (g_uri_get_userinfo (parsed) == NULL && g_uri_get_query (parsed) == NULL)
    return g_strdup (uri);

  /* Private catalogs are reached with a token as the user name
   * (https://TOKEN@host), a password, or in the query (?private_token=,
   * signed URLs): none of it is shown. */
  return g_uri_join (G_URI_FLAGS_ENCODED,
                     g_uri_get_scheme (parsed),
                     NULL,
                     g_uri_get_host (parsed),
                     g_uri_get_port (parsed),
                     g_uri_get_path (parsed),
                     g_uri_get_query (parsed) ? "redacted" : NULL,
                     NULL);
}

static gboolean
is_http (const char *uri)
{
  return g_ascii_strncasecmp (uri, "http://", 7) == 0 || g_ascii_strncasecmp (uri, "https://", 8) == 0;
}

/* Blocking: called from worker threads, each with its own session. */
GInputStream *
ph_plugin_fetch_open (const char    *uri,
                      goffset       *content_length,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (uri != NULL, NULL);

  if (content_length != NULL)
    *content_length = -1;

  if (is_http (uri))
    {
      g_autoptr(SoupSession) session = NULL;
      g_autoptr(SoupMessage) message = NULL;
      g_autoptr(GInputStream) stream = NULL;
      guint status;

      g_autofree char *shown = ph_plugin_uri_redact (uri);

      message = soup_message_new ("GET", uri);
      if (message == NULL)
        {
          g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_DOWNLOAD_FAILED,
                       "Invalid URL “%s”", shown);
          return NULL;
        }

      /* Only connection and idle timeouts: a big archive on a slow link
       * may take long, but must keep moving. */
      session = soup_session_new_with_options ("timeout", 60,
                                               "idle-timeout", 60,
                                               "user-agent", "Porthole/" PACKAGE_VERSION " ",
                                               NULL);
      stream = soup_session_send (session, message, cancellable, &local_error);
      if (stream == NULL)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_CATALOG_UNREACHABLE,
                         "Cannot reach %s: %s", shown, local_error->message);
          return NULL;
        }

      status = soup_message_get_status (message);
      if (status < 200 || status >= 300)
        {
          g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_CATALOG_UNREACHABLE,
                       "Cannot fetch %s: HTTP %u %s", shown, status,
                       soup_message_get_reason_phrase (message));
          return NULL;
        }

      if (content_length != NULL)
        *content_length = soup_message_headers_get_content_length (soup_message_get_response_headers (message));

      return g_steal_pointer (&stream);
    }
  else
    {
      g_autoptr(GFile) file = g_file_new_for_uri (uri);
      g_autoptr(GFileInputStream) stream = NULL;
      g_autoptr(GFileInfo) info = NULL;

      stream = g_file_read (file, cancellable, &local_error);
      if (stream == NULL)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_CATALOG_UNREACHABLE,
                         "Cannot read %s: %s", uri, local_error->message);
          return NULL;
        }

      info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);
      if (info != NULL && content_length != NULL)
        *content_length = g_file_info_get_size (info);

      return G_INPUT_STREAM (g_steal_pointer (&stream));
    }
}

GBytes *
ph_plugin_fetch_bytes (const char    *uri,
                       gsize          max_size,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint8 buffer[16384];

  stream = ph_plugin_fetch_open (uri, NULL, cancellable, error);
  if (stream == NULL)
    return NULL;

  for (;;)
    {
      gssize n = g_input_stream_read (stream, buffer, sizeof buffer, cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (data->len + (gsize) n > max_size)
        {
          g_autofree char *shown = ph_plugin_uri_redact (uri);

          g_set_error (error, PH_PLUGIN_ERROR, PH_PLUGIN_ERROR_TOO_LARGE,
                       "%s is larger than %" G_GSIZE_FORMAT " bytes", shown, max_size);
          return NULL;
        }
      g_byte_array_append (data, buffer, n);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}
