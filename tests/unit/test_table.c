/* test_table.c — the shared hash/pool/LRU container. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "analyzer/core/table.h"

struct key {
    uint32_t a, b;
};

static void
test_insert_find_remove(void **state)
{
    (void)state;
    struct table t;
    assert_int_equal(table_init(&t, 100, sizeof(struct key), sizeof(uint64_t), 42), 0);
    for (uint32_t i = 0; i < 100; i++) {
        struct key k = {i, i * 7};
        uint32_t s = table_insert(&t, &k, table_hash(&t, &k));
        assert_int_not_equal(s, TABLE_NONE);
        *(uint64_t *)table_value(&t, s) = i + 1000;
    }
    struct key extra = {500, 1};
    assert_int_equal(table_insert(&t, &extra, table_hash(&t, &extra)), TABLE_NONE);
    for (uint32_t i = 0; i < 100; i++) {
        struct key k = {i, i * 7};
        uint32_t s = table_find(&t, &k, table_hash(&t, &k));
        assert_int_not_equal(s, TABLE_NONE);
        assert_int_equal(*(uint64_t *)table_value(&t, s), i + 1000);
    }
    /* LRU order is insertion order until touched. */
    uint32_t s0 = table_oldest(&t);
    assert_int_equal(((const struct key *)table_key(&t, s0))->a, 0);
    table_touch(&t, s0);
    assert_int_equal(((const struct key *)table_key(&t, table_oldest(&t)))->a, 1);
    /* Remove half, then every removed key is gone and the rest remain. */
    for (uint32_t i = 0; i < 100; i += 2) {
        struct key k = {i, i * 7};
        table_remove(&t, table_find(&t, &k, table_hash(&t, &k)));
    }
    assert_int_equal(t.count, 50);
    for (uint32_t i = 0; i < 100; i++) {
        struct key k = {i, i * 7};
        uint32_t s = table_find(&t, &k, table_hash(&t, &k));
        if (i % 2)
            assert_int_not_equal(s, TABLE_NONE);
        else
            assert_int_equal(s, TABLE_NONE);
    }
    /* Freed slots are reused and values come back zeroed. */
    uint32_t s = table_insert(&t, &extra, table_hash(&t, &extra));
    assert_int_not_equal(s, TABLE_NONE);
    assert_int_equal(*(uint64_t *)table_value(&t, s), 0);
    table_free(&t);
}

static void
test_seed_changes_hash(void **state)
{
    (void)state;
    struct table a, b;
    assert_int_equal(table_init(&a, 16, sizeof(struct key), 0, 1), 0);
    assert_int_equal(table_init(&b, 16, sizeof(struct key), 0, 2), 0);
    struct key k = {1, 2};
    assert_int_not_equal(table_hash(&a, &k), table_hash(&b, &k));
    table_free(&a);
    table_free(&b);
}

/* table_insert_head zeroes the head of a value and leaves the rest as the slot held it. */
static void
test_insert_head(void **state)
{
    (void)state;
    struct table t;
    assert_int_equal(table_init(&t, 1, sizeof(struct key), 32, 3), 0);
    struct key k = {1, 2};
    uint32_t s = table_insert(&t, &k, table_hash(&t, &k));
    uint8_t *v = table_value(&t, s);
    memset(v, 0xab, 32);
    table_remove(&t, s);
    s = table_insert_head(&t, &k, table_hash(&t, &k), 8); /* the one slot, reused */
    v = table_value(&t, s);
    for (int i = 0; i < 32; i++)
        assert_int_equal(v[i], i < 8 ? 0 : 0xab);
    assert_int_equal(table_find(&t, &k, table_hash(&t, &k)), s);
    table_free(&t);
}

static void
test_bad_init(void **state)
{
    (void)state;
    struct table t;
    assert_int_equal(table_init(&t, 0, 8, 8, 0), -1);
    assert_int_equal(table_find(&t, "12345678", 0), TABLE_NONE);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_find_remove),
        cmocka_unit_test(test_seed_changes_hash),
        cmocka_unit_test(test_bad_init),
        cmocka_unit_test(test_insert_head),
    };
    return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
