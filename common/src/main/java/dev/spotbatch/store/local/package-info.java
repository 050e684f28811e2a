/** The object store on the local file system ({@code file://} locations under allowed roots). */
package dev.spotbatch.store.local;
