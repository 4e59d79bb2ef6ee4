/* result_media.c — freeing the media part of a result. */
#include "result_media.h"

#include <stdlib.h>

void
media_result_free(struct media_result *m)
{
    free(m);
}
