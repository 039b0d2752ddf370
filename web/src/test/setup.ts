import { configure } from "@testing-library/react";

// `findBy…` and `waitFor` give up after 1 s by default. A wait ends as soon as the page shows
// what it waits for, so this only bounds a hang; `make test` runs these tests on two cores
// beside the pytest runs, where 1 s was not always enough.
configure({ asyncUtilTimeout: 10_000 });
