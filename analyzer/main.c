/* main.c — placeholder while the pipeline is written. */
int main(void);
int
main(void)
{
    return 0;
}
