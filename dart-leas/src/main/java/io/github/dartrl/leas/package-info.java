/** dart-leas: see the module description in the project README. */
package io.github.dartrl.leas;
